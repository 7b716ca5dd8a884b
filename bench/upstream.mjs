// A scripted model server for the benchmark: OpenAI chat (llama-server's framing) and Anthropic
// messages, unary or streamed, with `max_tokens` tokens, a delay between tokens (model `…-delayN`)
// and `x-bench-first-byte-ms` before the first byte. Plain node:http: it must not be the bottleneck.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function openAiChunk(delta, finish = null) {
  return `data: {"id":"chatcmpl-b","object":"chat.completion.chunk","created":1,"model":"bench","choices":[{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]}\n\n`;
}

async function openAi(body, res, delay) {
  const tokens = Math.max(1, Number(body.max_tokens) || 16);
  if (!body.stream) {
    const text = 'tok '.repeat(tokens);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'chatcmpl-b', object: 'chat.completion', created: 1, model: 'bench', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'length' }], usage: { prompt_tokens: 20, completion_tokens: tokens, total_tokens: 20 + tokens } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(openAiChunk({ role: 'assistant', content: null }));
  for (let i = 0; i < tokens; i++) {
    if (delay > 0) await sleep(delay);
    res.write(openAiChunk({ content: 'tok ' }));
  }
  res.write(openAiChunk({}, 'length'));
  res.write(`data: {"id":"chatcmpl-b","object":"chat.completion.chunk","created":1,"model":"bench","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":${tokens},"total_tokens":${20 + tokens}}}\n\n`);
  res.end('data: [DONE]\n\n');
}

const frame = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

async function anthropic(body, res, delay) {
  const tokens = Math.max(1, Number(body.max_tokens) || 16);
  const usage = { input_tokens: 20, output_tokens: tokens, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'msg_b', type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text: 'tok '.repeat(tokens) }], stop_reason: 'max_tokens', stop_sequence: null, usage }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(frame('message_start', { type: 'message_start', message: { id: 'msg_b', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 0 } } }));
  res.write(frame('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
  for (let i = 0; i < tokens; i++) {
    if (delay > 0) await sleep(delay);
    res.write(frame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'tok ' } }));
  }
  res.write(frame('content_block_stop', { type: 'content_block_stop', index: 0 }));
  res.write(frame('message_delta', { type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: tokens } }));
  res.end(frame('message_stop', { type: 'message_stop' }));
}

// The last body each API path received, so the benchmark can send the direct upstream and the
// raw proxy exactly what Turnout forwarded (a translated Claude Code request is not the
// Anthropic one): the baselines then do the same upstream work as the gateway's runs.
const lastBody = new Map();

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url.startsWith('/bench/last-body')) {
    const path = new URL(req.url, 'http://upstream').searchParams.get('path');
    res.writeHead(lastBody.has(path) ? 200 : 404, { 'content-type': 'application/json' });
    res.end(lastBody.get(path) ?? '{}');
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    if (req.method !== 'POST' || req.url.startsWith('/v1/messages/count_tokens') || (!req.url.startsWith('/v1/chat/completions') && !req.url.startsWith('/v1/messages'))) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}');
      return;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    lastBody.set(req.url.split('?')[0], text);
    const body = JSON.parse(text);
    const first = Number(req.headers['x-bench-first-byte-ms'] ?? 0);
    // The delay rides in the model name (`…-delay20`): it reaches the upstream through every
    // gateway mode, where a custom header would not (Turnout forwards no unknown headers).
    const delay = Number(req.headers['x-bench-token-delay-ms'] ?? /-delay(\d+)/.exec(String(body.model))?.[1] ?? 0);
    if (first > 0) await sleep(first);
    if (req.url.startsWith('/v1/chat/completions')) await openAi(body, res, delay);
    else await anthropic(body, res, delay);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
