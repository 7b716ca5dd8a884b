import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { REPO_ROOT, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

/**
 * The OpenAI endpoints against the real llama-server (issue 17, "Done when" (c)): the bundled
 * binary and tiny model from ../shared/llama-server (TURNOUT_LLAMA_SERVER_DIR to move it). The
 * model never ends a turn nor calls a tool by itself, so round trips are checked on the turn
 * that carries the call and its result, and every answer runs to its max tokens.
 */
const LLAMA_DIR = process.env.TURNOUT_LLAMA_SERVER_DIR ?? join(REPO_ROOT, '..', 'shared', 'llama-server');
const UPSTREAM_MODEL = 'tinyllama-2-anthropic';

let llama: { url: string; pid: number };
let gateway: GatewayProcess;
let viaTurnout: OpenAI;
let direct: OpenAI;

beforeAll(async () => {
  if (!existsSync(join(LLAMA_DIR, 'start.sh'))) throw new Error(`no llama-server at ${LLAMA_DIR} (set TURNOUT_LLAMA_SERVER_DIR)`);
  llama = await startLlamaServer(await freePort());
  const config = writeTempConfig(`providers:
  - id: llama
    kind: llama-cpp
    retries: { max_attempts: 1 }
    base_url: ${llama.url}
routes:
  - match: "local-tiny"
    provider: llama
    model: ${UPSTREAM_MODEL}
`);
  gateway = await startGatewayProcess(config);
  viaTurnout = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  direct = new OpenAI({ baseURL: `${llama.url}/v1`, apiKey: 'none', maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  if (llama) process.kill(llama.pid, 'SIGTERM');
});

jest.setTimeout(60_000);

const hello: ChatCompletionCreateParamsNonStreaming = { model: 'local-tiny', max_tokens: 8, messages: [{ role: 'user', content: 'Hello' }] };
const weather = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

describe('/v1/chat/completions through Turnout to the real llama-server', () => {
  it('answers a unary request as the server does directly, under the client model name', async () => {
    const straight = await direct.chat.completions.create({ ...hello, model: UPSTREAM_MODEL });
    const through = await viaTurnout.chat.completions.create(hello);
    expect(through.model).toBe('local-tiny');
    expect(through.choices[0]!.message.content).toBe(straight.choices[0]!.message.content);
    expect(through.choices[0]!.finish_reason).toBe('length');
    expect(through.usage?.completion_tokens).toBe(8);
  });

  it('streams the same text as the server does directly, and the SDK assembles it', async () => {
    const collect = async (client: OpenAI, model: string) => {
      const stream = client.chat.completions.stream({ ...hello, model, stream: true, stream_options: { include_usage: true } });
      return stream.finalChatCompletion();
    };
    const straight = await collect(direct, UPSTREAM_MODEL);
    const through = await collect(viaTurnout, 'local-tiny');
    expect(through.choices[0]!.message.content).toBe(straight.choices[0]!.message.content);
    expect(through.model).toBe('local-tiny');
    expect(through.usage).toMatchObject({ completion_tokens: 8 });
  });

  it('takes a tool-call round trip (the call and its result in the history) through the real template, streamed', async () => {
    const stream = viaTurnout.chat.completions.stream({
      model: 'local-tiny',
      max_tokens: 6,
      tools: [weather],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' },
      ],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toMatch(/\S/);
    expect(final.choices[0]!.finish_reason).toBe('length');
  });

  it('answers json_schema with JSON that fits the schema (llama-server enforces it by grammar)', async () => {
    const answer = await viaTurnout.chat.completions.create({
      ...hello,
      max_tokens: 40,
      response_format: { type: 'json_schema', json_schema: { name: 'flag', schema: { type: 'object', properties: { a: { type: 'boolean' } }, required: ['a'], additionalProperties: false } } },
    });
    expect(typeof (JSON.parse(answer.choices[0]!.message.content!) as { a: unknown }).a).toBe('boolean');
  });
});

describe('/v1/responses through Turnout to the real llama-server (translated: its own /v1/responses stream is not the SDK\'s)', () => {
  it('streams a function-call round trip turn the SDK stream helper accepts', async () => {
    const stream = viaTurnout.responses.stream({
      model: 'local-tiny',
      max_output_tokens: 6,
      instructions: 'Be brief.',
      tools: [{ type: 'function', name: 'get_weather', parameters: weather.function.parameters, strict: false }],
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"celsius":21}' },
      ],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types[0]).toBe('response.created');
    expect(types).toContain('response.output_text.delta');
    expect(final).toMatchObject({ status: 'incomplete', model: 'local-tiny', usage: { output_tokens: 6 } });
    expect(final.output_text).toMatch(/\S/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startLlamaServer(port: number): Promise<{ url: string; pid: number }> {
  return new Promise((resolve, reject) => {
    execFile(join(LLAMA_DIR, 'start.sh'), [String(port)], { timeout: 45_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`llama-server did not start: ${stderr || error.message}`));
      resolve({ url: `http://127.0.0.1:${port}`, pid: Number(stdout.trim()) });
    });
  });
}
