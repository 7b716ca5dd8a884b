import Anthropic from '@anthropic-ai/sdk';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerBackgroundTraffic, ScriptedUpstream, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';
import { completion } from './openai-chunks';

/**
 * Issue 19 (4): OpenTelemetry traces, on because OTEL_EXPORTER_OTLP_ENDPOINT points at a real
 * OTLP/HTTP receiver this test runs on loopback (the gateway's exporter sends JSON bodies to
 * /v1/traces). One request whose first upstream attempt fails (500) and is retried makes one
 * trace: the SERVER span, the route span and two CLIENT attempt spans with the GenAI
 * attributes; the upstream receives each attempt's W3C traceparent; the log line carries the
 * trace id; no prompt or completion text is exported.
 */
jest.setTimeout(60_000);

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: OtlpValue }>;
  status?: { code?: number };
}

const received: Array<{ contentType: string | undefined; body: string }> = [];
let collector: Server;
let collectorUrl: string;
let upstream: ScriptedUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') received.push({ contentType: request.headers['content-type'], body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  upstream = answerBackgroundTraffic(await ScriptedUpstream.start());
  const config = writeTempConfig(`providers:
  - { id: local, kind: llama-cpp, base_url: "${upstream.url}", messages: translate, retries: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 5 } }
routes:
  - { name: everything, match: "*", provider: local, model: small-model }
`);
  gateway = await startGatewayProcess(config, { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_SERVICE_NAME: 'turnout-under-test' });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
  await new Promise((resolve) => collector?.close(resolve));
});

const attribute = (span: OtlpSpan, key: string): unknown => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  if (value === undefined) return undefined;
  if (value.arrayValue) return value.arrayValue.values.map((v) => v.stringValue);
  return value.stringValue ?? (value.intValue === undefined ? undefined : Number(value.intValue));
};

async function spansOf(traceId: () => string | undefined, count: number): Promise<OtlpSpan[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const id = traceId();
    const spans = received
      .flatMap((r) => (JSON.parse(r.body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans)
      .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
      .filter((span) => span.traceId === id);
    if (spans.length >= count || Date.now() > deadline) return spans;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('one trace: server span, route span, one CLIENT span per attempt (the retry visible), GenAI attributes, traceparent upstream', async () => {
  upstream.expect({ path: '/v1/chat/completions' }).respond({ status: 500, body: 'Internal Server Error' });
  upstream.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'secret completion text' }, 'stop', 12, 7) });
  const before = upstream.requests.length;
  const client = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
  const message = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'a secret prompt' }] });
  expect(message.content).toMatchObject([{ type: 'text', text: 'secret completion text' }]);
  const attempts = upstream.requests.slice(before).filter((r) => r.path === '/v1/chat/completions');
  expect(attempts).toHaveLength(2);
  const traceparents = attempts.map((r) => String(r.headers.traceparent));
  for (const header of traceparents) expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const traceId = traceparents[0]!.split('-')[1]!;
  expect(traceparents[1]!.split('-')[1]).toBe(traceId);

  const spans = await spansOf(() => traceId, 4);
  expect(spans).toHaveLength(4);
  expect(received[0]!.contentType).toBe('application/json');
  const server = spans.find((s) => s.kind === 2)!;
  const route = spans.find((s) => s.name === 'route')!;
  const clients = spans.filter((s) => s.kind === 3).sort((a, b) => Number(attribute(a, 'turnout.attempt')) - Number(attribute(b, 'turnout.attempt')));
  expect(server.name).toBe('POST /v1/messages');
  expect(server.parentSpanId || undefined).toBeUndefined();
  expect(route.parentSpanId).toBe(server.spanId);
  expect(clients.map((s) => s.parentSpanId)).toEqual([server.spanId, server.spanId]);
  // Each attempt's span is the parent the upstream was told about.
  expect(clients.map((s) => s.spanId)).toEqual(traceparents.map((h) => h.split('-')[2]));
  expect(clients[0]!.status?.code).toBe(2);
  expect(attribute(clients[0]!, 'error.type')).toBe('GW_UPSTREAM_ERROR');
  expect(attribute(route, 'turnout.route')).toBe('everything');
  for (const span of clients) {
    expect(span.name).toBe('chat small-model');
    expect(attribute(span, 'gen_ai.operation.name')).toBe('chat');
    expect(attribute(span, 'gen_ai.request.model')).toBe('small-model');
    expect(attribute(span, 'server.address')).toBe('127.0.0.1');
    expect(attribute(span, 'gen_ai.provider.name')).toBe('llama-cpp');
  }
  expect(attribute(clients[1]!, 'gen_ai.usage.input_tokens')).toBe(12);
  expect(attribute(clients[1]!, 'gen_ai.usage.output_tokens')).toBe(7);
  expect(attribute(clients[1]!, 'gen_ai.response.finish_reasons')).toEqual(['end_turn']);
  expect(attribute(server, 'gen_ai.request.model')).toBe('claude-sonnet-4-6');
  expect(attribute(server, 'gen_ai.response.model')).toBe('small-model');
  expect(attribute(server, 'gen_ai.usage.output_tokens')).toBe(7);
  expect(attribute(server, 'http.response.status_code')).toBe(200);
  // The log line of the request carries its trace id; no text of the conversation is exported.
  expect(gateway.output()).toContain(`"trace_id":"${traceId}"`);
  const exported = received.map((r) => r.body).join('\n');
  expect(exported).not.toContain('secret prompt');
  expect(exported).not.toContain('secret completion');
  expect(exported).toContain('turnout-under-test');
});

it('off by default: without OTEL_EXPORTER_OTLP_ENDPOINT no traceparent goes upstream and the log line has no trace id', async () => {
  const config = writeTempConfig(`providers:
  - { id: local, kind: llama-cpp, base_url: "${upstream.url}", messages: translate }
routes:
  - { match: "*", provider: local, model: small-model }
`);
  const plain = await startGatewayProcess(config);
  try {
    upstream.expect({ path: '/v1/chat/completions' }).respond({ json: completion({ content: 'ok' }, 'stop', 3, 1) });
    const client = new Anthropic({ baseURL: plain.url, apiKey: 'unused', maxRetries: 0 });
    await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    expect(upstream.requests.at(-1)!.headers.traceparent).toBeUndefined();
    const deadline = Date.now() + 3_000;
    while (!plain.output().includes('"duration_ms"') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(plain.output()).toContain('"duration_ms"');
    expect(plain.output()).not.toContain('trace_id');
  } finally {
    await plain.stop();
  }
});
