import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Client, errors as undiciErrors } from 'undici';
import { GatewayError, type ErrorCode } from '@turnout/errors';
import { classifyUpstreamFailure, type UpstreamPhase } from './upstream-failure';

// Real undici 7 failures against loopback servers, then synthetic errors for the chain walk.
// Timeouts are set to 100 ms, but undici runs headers/body timeouts on its coarse "fast timers"
// (lib/util/timers.js ticks every 499 ms), so those two cases take about 1 s: the floor.

const SHORT_MS = 100;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An HTTP server whose sockets are all destroyed at cleanup, so hung requests do not keep jest alive. */
async function httpUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createHttpServer(handler);
  const origin = await listen(server);
  cleanups.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return origin;
}

/** A TCP server that speaks whatever the test writes: for responses that are not HTTP. */
async function rawUpstream(onSocket: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  const origin = await listen(server);
  cleanups.push(() => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }));
  return origin;
}

function client(origin: string, options: ConstructorParameters<typeof Client>[1] = {}): Client {
  const c = new Client(origin, { headersTimeout: 2_000, bodyTimeout: 2_000, ...options });
  cleanups.push(() => c.destroy());
  return c;
}

/** The error a promise rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Starts a request and reads its whole body, so body-phase failures surface too. */
async function requestAndRead(c: Client, signal?: AbortSignal): Promise<{ phase: UpstreamPhase; error: unknown }> {
  let response;
  try {
    response = await c.request({ method: 'POST', path: '/v1/chat/completions', body: '{}', signal });
  } catch (error) {
    return { phase: 'headers', error };
  }
  return { phase: 'body', error: await rejection(response.body.text()) };
}

function expectClassified(error: GatewayError, code: ErrorCode, status: number, message: RegExp): void {
  expect(error).toBeInstanceOf(GatewayError);
  expect(error.code).toBe(code);
  expect(error.status).toBe(status);
  expect(error.message).toMatch(message);
  // Addresses and ports are not the client's business.
  expect(error.message).not.toMatch(/127\.0\.0\.1|:\d{2,5}\b/);
}

describe('classifyUpstreamFailure with real undici errors over loopback', () => {
  it('a refused port is unreachable (502) before headers', async () => {
    const server = createNetServer();
    const origin = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const { phase, error } = await requestAndRead(client(origin));
    expect(phase).toBe('headers');
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    const classified = classifyUpstreamFailure(error, phase);
    expectClassified(classified, 'GW_UPSTREAM_UNREACHABLE', 502, /^upstream request failed before the response headers: connection refused \(ECONNREFUSED\)$/);
    expect(classified.anthropicType).toBe('api_error');
    expect(classified.cause).toBe(error);
  });

  it('a server that never sends headers hits the headers timeout (504)', async () => {
    const origin = await httpUpstream(() => undefined);
    const { phase, error } = await requestAndRead(client(origin, { headersTimeout: SHORT_MS }));
    expect(phase).toBe('headers');
    expect((error as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    const classified = classifyUpstreamFailure(error, phase);
    expectClassified(classified, 'GW_UPSTREAM_FIRST_BYTE_TIMEOUT', 504, /first-byte timeout \(UND_ERR_HEADERS_TIMEOUT\)$/);
    expect(classified.anthropicType).toBe('timeout_error');
  });

  it('a server that sends headers then stalls hits the idle timeout (504) in the body phase', async () => {
    const origin = await httpUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[]}\n\n');
    });
    const { phase, error } = await requestAndRead(client(origin, { bodyTimeout: SHORT_MS }));
    expect(phase).toBe('body');
    expect((error as { code?: string }).code).toBe('UND_ERR_BODY_TIMEOUT');
    expectClassified(
      classifyUpstreamFailure(error, phase),
      'GW_UPSTREAM_IDLE_TIMEOUT',
      504,
      /^upstream response failed while reading the body: no data within the idle timeout \(UND_ERR_BODY_TIMEOUT\)$/,
    );
  });

  it('a socket destroyed mid-body is a stream that ended (502)', async () => {
    const origin = await httpUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[]}\n\n', () => req.socket.destroy());
    });
    const { phase, error } = await requestAndRead(client(origin));
    expect(phase).toBe('body');
    expect((error as { code?: string }).code).toBe('UND_ERR_SOCKET');
    expectClassified(classifyUpstreamFailure(error, phase), 'GW_UPSTREAM_STREAM_ENDED', 502, /while reading the body: connection closed by the upstream \(UND_ERR_SOCKET\)$/);
  });

  it('a socket destroyed before headers is unreachable (502)', async () => {
    const origin = await httpUpstream((req) => req.socket.destroy());
    const { phase, error } = await requestAndRead(client(origin));
    expect(phase).toBe('headers');
    expect((error as { code?: string }).code).toBe('UND_ERR_SOCKET');
    expectClassified(classifyUpstreamFailure(error, phase), 'GW_UPSTREAM_UNREACHABLE', 502, /before the response headers: connection closed by the upstream/);
  });

  it('a response that is not HTTP is a protocol error, by the llhttp code', async () => {
    const origin = await rawUpstream((socket) => socket.once('data', () => socket.end('HELLO THERE\r\n\r\n')));
    const { phase, error } = await requestAndRead(client(origin));
    expect(phase).toBe('headers');
    expect((error as Error).name).toBe('HTTPParserError');
    expectClassified(classifyUpstreamFailure(error, phase), 'GW_UPSTREAM_PROTOCOL', 502, /malformed HTTP response \((?:HPE_[A-Z_]+|HTTPParserError)\)$/);
  });

  it('a body shorter than its Content-Length ended early (502)', async () => {
    const origin = await rawUpstream((socket) =>
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id":')),
    );
    const { phase, error } = await requestAndRead(client(origin));
    expect(phase).toBe('body');
    const classified = classifyUpstreamFailure(error, phase);
    // undici reports this as a closed socket or a length mismatch depending on timing; both mean "cut".
    expect(['UND_ERR_SOCKET', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']).toContain((error as { code?: string }).code);
    expectClassified(classified, 'GW_UPSTREAM_STREAM_ENDED', 502, /while reading the body/);
  });

  it('an AbortController abort before headers is the client going away, not an upstream failure', async () => {
    const origin = await httpUpstream(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const { phase, error } = await requestAndRead(client(origin), controller.signal);
    expect(phase).toBe('headers');
    expect((error as Error).name).toBe('AbortError');
    const classified = classifyUpstreamFailure(error, phase);
    expectClassified(classified, 'GW_CLIENT_ABORTED', 499, /^upstream request failed before the response headers: the client closed the request/);
    expect(classified.anthropicType).toBe('invalid_request_error');
  });

  it('an AbortController abort mid-body is the client going away too', async () => {
    const controller = new AbortController();
    const origin = await httpUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {}\n\n', () => setTimeout(() => controller.abort(), 10));
    });
    const { phase, error } = await requestAndRead(client(origin), controller.signal);
    expect(phase).toBe('body');
    expectClassified(classifyUpstreamFailure(error, phase), 'GW_CLIENT_ABORTED', 499, /while reading the body: the client closed the request/);
  });

  it('an abort with our own GatewayError as the reason returns that error unchanged', async () => {
    const origin = await httpUpstream(() => undefined);
    const reason = new GatewayError('GW_UPSTREAM_TIMEOUT', { message: 'request deadline passed' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 20);
    const { phase, error } = await requestAndRead(client(origin), controller.signal);
    expect(classifyUpstreamFailure(error, phase)).toBe(reason);
  });
});

describe('classifyUpstreamFailure by code, on undici error classes and synthetic chains', () => {
  const withCode = (code: string, message = 'detail with http://user:secret@10.1.2.3:8080/v1'): Error =>
    Object.assign(new Error(message), { code });

  it.each([
    { label: 'ConnectTimeoutError', error: new undiciErrors.ConnectTimeoutError(), phase: 'connect', code: 'GW_UPSTREAM_CONNECT_TIMEOUT', status: 502 },
    { label: 'HeadersTimeoutError', error: new undiciErrors.HeadersTimeoutError(), phase: 'headers', code: 'GW_UPSTREAM_FIRST_BYTE_TIMEOUT', status: 504 },
    { label: 'BodyTimeoutError', error: new undiciErrors.BodyTimeoutError(), phase: 'body', code: 'GW_UPSTREAM_IDLE_TIMEOUT', status: 504 },
    { label: 'SocketError before headers', error: new undiciErrors.SocketError('other side closed'), phase: 'headers', code: 'GW_UPSTREAM_UNREACHABLE', status: 502 },
    { label: 'SocketError in the body', error: new undiciErrors.SocketError('other side closed'), phase: 'body', code: 'GW_UPSTREAM_STREAM_ENDED', status: 502 },
    { label: 'RequestAbortedError', error: new undiciErrors.RequestAbortedError(), phase: 'headers', code: 'GW_CLIENT_ABORTED', status: 499 },
    { label: 'ClientDestroyedError', error: new undiciErrors.ClientDestroyedError(), phase: 'headers', code: 'GW_UPSTREAM_UNREACHABLE', status: 502 },
    { label: 'HeadersOverflowError', error: new undiciErrors.HeadersOverflowError(), phase: 'headers', code: 'GW_UPSTREAM_PROTOCOL', status: 502 },
    { label: 'ResponseExceededMaxSizeError', error: new undiciErrors.ResponseExceededMaxSizeError(), phase: 'body', code: 'GW_UPSTREAM_PROTOCOL', status: 502 },
    { label: 'InvalidArgumentError (our bug)', error: new undiciErrors.InvalidArgumentError('bad'), phase: 'connect', code: 'GW_INTERNAL', status: 500 },
    { label: 'ENOTFOUND', error: withCode('ENOTFOUND'), phase: 'connect', code: 'GW_UPSTREAM_UNREACHABLE', status: 502 },
    { label: 'EHOSTUNREACH', error: withCode('EHOSTUNREACH'), phase: 'connect', code: 'GW_UPSTREAM_UNREACHABLE', status: 502 },
    { label: 'ECONNRESET before headers', error: withCode('ECONNRESET'), phase: 'headers', code: 'GW_UPSTREAM_UNREACHABLE', status: 502 },
    { label: 'ECONNRESET in the body', error: withCode('ECONNRESET'), phase: 'body', code: 'GW_UPSTREAM_STREAM_ENDED', status: 502 },
    { label: 'AbortSignal.timeout() TimeoutError', error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), phase: 'headers', code: 'GW_UPSTREAM_TIMEOUT', status: 504 },
  ] as const)('$label → $code', ({ error, phase, code, status }) => {
    const classified = classifyUpstreamFailure(error, phase);
    expect(classified.code).toBe(code);
    expect(classified.status).toBe(status);
    expect(classified.cause).toBe(error);
  });

  it('finds the code on a nested cause (fetch wraps it in TypeError("fetch failed"))', () => {
    const error = new TypeError('fetch failed', { cause: new Error('wrapper', { cause: withCode('ECONNREFUSED') }) });
    const classified = classifyUpstreamFailure(error, 'connect');
    expect(classified.code).toBe('GW_UPSTREAM_UNREACHABLE');
    expect(classified.message).toBe('upstream connect failed: connection refused (ECONNREFUSED)');
  });

  it('finds the code inside an AggregateError (happy-eyeballs tries every address)', () => {
    const error = new AggregateError([new Error('no code'), withCode('ECONNREFUSED')], 'connect failed');
    expect(classifyUpstreamFailure(error, 'connect').code).toBe('GW_UPSTREAM_UNREACHABLE');
  });

  it('the outermost known code wins over one deeper in the chain', () => {
    const error = Object.assign(new undiciErrors.BodyTimeoutError(), { cause: withCode('ECONNRESET') });
    expect(classifyUpstreamFailure(error, 'body').code).toBe('GW_UPSTREAM_IDLE_TIMEOUT');
  });

  it('survives a cyclic cause chain', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(classifyUpstreamFailure(a, 'headers').code).toBe('GW_UPSTREAM_ERROR');
  });

  it('never classifies by message text, and never copies it', () => {
    const error = new Error('connect ECONNREFUSED 127.0.0.1:8080 — headers timeout — aborted');
    const classified = classifyUpstreamFailure(error, 'headers');
    expect(classified.code).toBe('GW_UPSTREAM_ERROR');
    expect(classified.status).toBe(500);
    expect(classified.message).toBe('upstream request failed before the response headers: unexpected error (Error)');
  });

  it('keeps credentials in URLs out of the message', () => {
    const classified = classifyUpstreamFailure(withCode('ECONNREFUSED'), 'connect');
    expect(classified.message).not.toMatch(/secret|user|10\.1\.2\.3/);
  });

  it('a bad TLS certificate is deterministic: x-should-retry false', () => {
    const classified = classifyUpstreamFailure(withCode('CERT_HAS_EXPIRED'), 'connect');
    expect(classified.code).toBe('GW_UPSTREAM_UNREACHABLE');
    expect(classified.headers).toEqual({ 'x-should-retry': 'false' });
  });

  it('retryable failures carry no retry override', () => {
    expect(classifyUpstreamFailure(withCode('ECONNREFUSED'), 'connect').headers).toEqual({});
  });

  it('non-Error throwables are unexpected upstream errors', () => {
    expect(classifyUpstreamFailure('boom', 'body').message).toBe('upstream response failed while reading the body: unexpected error (string)');
    expect(classifyUpstreamFailure(undefined, 'connect').code).toBe('GW_UPSTREAM_ERROR');
  });
});
