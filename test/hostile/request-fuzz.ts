import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chunkFrame, completion, DONE_FRAME, usageFrame } from '../../apps/gateway/test/e2e/openai-chunks';

/**
 * Issue 15, case 11: requests from the Anthropic Messages grammar, plus mutations that break it
 * in the ways clients and attackers do (wrong types, nulls, missing fields, foreign values at
 * any depth). Shared by the CI property test (500 runs) and `npm run fuzz` (10,000).
 */
const text = fc.string({ maxLength: 40 });
const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,20}$/);

const textBlock = fc.record({ type: fc.constant('text'), text });
const imageBlock = fc.record({
  type: fc.constant('image'),
  source: fc.record({ type: fc.constant('base64'), media_type: fc.constantFrom('image/png', 'image/jpeg'), data: fc.constant('iVBORw0KGgo=') }),
});
const toolUseBlock = fc.record({ type: fc.constant('tool_use'), id: fc.stringMatching(/^toolu_[A-Za-z0-9]{4,12}$/), name, input: fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) });
const toolResultBlock = fc.record({
  type: fc.constant('tool_result'),
  tool_use_id: fc.stringMatching(/^toolu_[A-Za-z0-9]{4,12}$/),
  content: fc.oneof(text, fc.array(textBlock, { maxLength: 2 })),
  is_error: fc.option(fc.boolean(), { nil: undefined }),
});
const thinkingBlock = fc.record({ type: fc.constant('thinking'), thinking: text, signature: fc.base64String({ maxLength: 24 }) });

const userMessage = fc.record({ role: fc.constant('user'), content: fc.oneof(text, fc.array(fc.oneof(textBlock, imageBlock, toolResultBlock), { minLength: 1, maxLength: 3 })) });
const assistantMessage = fc.record({ role: fc.constant('assistant'), content: fc.oneof(text, fc.array(fc.oneof(textBlock, toolUseBlock, thinkingBlock), { minLength: 1, maxLength: 3 })) });

const tool = fc.record(
  {
    name,
    description: text,
    input_schema: fc.record({ type: fc.constant('object'), properties: fc.dictionary(name, fc.record({ type: fc.constantFrom('string', 'number', 'boolean') }), { maxKeys: 3 }) }),
  },
  { requiredKeys: ['name', 'input_schema'] },
);

/** A request the Anthropic API would accept (give or take semantics such as tool ids that pair up). */
export const validRequest = fc.record(
  {
    model: fc.constantFrom('claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-1'),
    max_tokens: fc.integer({ min: 1, max: 8192 }),
    messages: fc.tuple(userMessage, fc.array(fc.tuple(assistantMessage, userMessage), { maxLength: 2 })).map(([first, rest]) => [first, ...rest.flat()]),
    system: fc.oneof(text, fc.array(textBlock, { minLength: 1, maxLength: 2 })),
    tools: fc.array(tool, { maxLength: 3 }),
    tool_choice: fc.oneof(fc.record({ type: fc.constantFrom('auto', 'any', 'none') }), fc.record({ type: fc.constant('tool'), name })),
    stream: fc.boolean(),
    temperature: fc.double({ min: 0, max: 1, noNaN: true }),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    top_k: fc.integer({ min: 1, max: 100 }),
    stop_sequences: fc.array(text, { maxLength: 2 }),
    metadata: fc.record({ user_id: text }),
    thinking: fc.oneof(fc.constant({ type: 'disabled' }), fc.record({ type: fc.constant('enabled'), budget_tokens: fc.integer({ min: 1024, max: 4096 }) })),
  },
  { requiredKeys: ['model', 'max_tokens', 'messages'] },
);

type Json = Record<string, unknown>;

/** One mutation at a random place: the value replaced by any JSON, a null, or removed. */
function mutate(request: Json, path: readonly number[], replacement: unknown, remove: boolean): Json {
  const copy = structuredClone(request);
  let node: unknown = copy;
  let parent: Json | unknown[] | undefined;
  let key: string | number | undefined;
  for (const step of path) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node as Json | unknown[];
    key = keys[step % keys.length] as string | number;
    node = (parent as Record<string | number, unknown>)[key];
  }
  if (parent === undefined || key === undefined) return copy;
  if (remove && !Array.isArray(parent)) delete (parent as Json)[key as string];
  else (parent as Record<string | number, unknown>)[key] = replacement;
  return copy;
}

export const anyRequest = fc.oneof(
  { arbitrary: validRequest, weight: 2 },
  {
    arbitrary: fc
      .tuple(validRequest, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(null)), fc.boolean())
      .map(([request, path, replacement, remove]) => mutate(request as Json, path, replacement, remove)),
    weight: 3,
  },
);

/** The upstream: llama-server's OpenAI wire format, a stream when asked for one. Every answer is good, so any 5xx is the gateway's own. */
export async function startFuzzUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 404, message: 'File Not Found', type: 'not_found_error' } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream?: boolean };
      if (body.stream === true) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(chunkFrame({ role: 'assistant', content: null }) + chunkFrame({ content: 'ok' }) + chunkFrame({}, 'stop') + usageFrame(10, 1) + DONE_FRAME);
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion({ content: 'ok' }, 'stop')));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** What the property checks of one answer; undefined when it is acceptable. */
export function answerProblem(status: number, contentType: string, bodyText: string): string | undefined {
  if (status >= 500) return `status ${status}: ${bodyText.slice(0, 300)}`;
  if (status === 200) {
    if (contentType.startsWith('text/event-stream')) {
      if (!bodyText.startsWith('event: message_start')) return `stream does not start with message_start: ${bodyText.slice(0, 200)}`;
      if (!bodyText.includes('event: message_stop')) return `stream without message_stop: ${bodyText.slice(-300)}`;
      if (bodyText.includes('event: error')) return `stream with an error event: ${bodyText.slice(-300)}`;
      return undefined;
    }
    const json = JSON.parse(bodyText) as { type?: unknown };
    return json.type === 'message' || typeof (json as { input_tokens?: unknown }).input_tokens === 'number' ? undefined : `200 that is not a message: ${bodyText.slice(0, 200)}`;
  }
  if (status >= 400) {
    let json: { type?: unknown; error?: { type?: unknown; message?: unknown } };
    try {
      json = JSON.parse(bodyText) as typeof json;
    } catch {
      return `${status} that is not JSON: ${bodyText.slice(0, 200)}`;
    }
    if (json.type !== 'error' || typeof json.error?.type !== 'string' || typeof json.error.message !== 'string') return `${status} not Anthropic-shaped: ${bodyText.slice(0, 200)}`;
    return undefined;
  }
  return `unexpected status ${status}`;
}
