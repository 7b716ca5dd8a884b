import http from 'node:http';
import { keySha256, ScriptedUpstream, answerBackgroundTraffic, startGatewayProcess, writeTempConfig, type GatewayProcess } from '@turnout/testing';

/**
 * Issue 15 cases 8 and 9 against the real process: a body over the limit always gets its 413
 * (never EPIPE or a reset), and a client without a valid key gets its 401 before the gateway
 * reads its body; count_tokens counts against the key's request limit.
 */

let upstream: ScriptedUpstream;
let gateway: GatewayProcess;
beforeAll(async () => {
  upstream = await ScriptedUpstream.start();
  answerBackgroundTraffic(upstream);
  const config = writeTempConfig(`providers:
  - id: local
    kind: llama-cpp
    base_url: ${upstream.url}
    messages: translate
routes:
  - match: "*"
    provider: local
keys:
  - { id: alice, sha256: "${keySha256('tk-alice')}" }
  - { id: counted, sha256: "${keySha256('tk-counted')}", requests_per_minute: 2 }
`);
  gateway = await startGatewayProcess(config);
}, 30_000);
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

interface Answer {
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

/** Sends `size` bytes of body in 1 MiB writes, honouring backpressure, as a real client does. */
function send(size: number, headers: Record<string, string | number>, options: { endBody?: boolean } = {}): Promise<Answer> {
  const url = new URL(gateway.url);
  return new Promise((resolve) => {
    const request = http.request({ host: url.hostname, port: url.port, path: '/v1/messages', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        resolve({ status: response.statusCode, body });
        request.destroy();
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    let sent = 0;
    const block = Buffer.alloc(1024 * 1024, 0x20);
    const write = (): void => {
      while (sent < size) {
        const piece = sent === 0 ? Buffer.concat([Buffer.from('{'), block.subarray(1)]) : block;
        sent += piece.length;
        if (!request.write(piece)) {
          request.once('drain', write);
          return;
        }
      }
      if (options.endBody !== false) request.end();
    };
    write();
  });
}

const THIRTY_THREE_MB = 33 * 1024 * 1024;

describe('a body over the limit (case 8)', () => {
  it('gets its 413 every time at 33 MB with a content-length', async () => {
    for (let run = 0; run < 5; run++) {
      const answer = await send(THIRTY_THREE_MB, { 'content-length': THIRTY_THREE_MB, 'x-api-key': 'tk-alice' });
      expect(answer.error).toBeUndefined();
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body!)).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    }
  });

  it('gets its 413 at 33 MB sent chunked (no content-length)', async () => {
    const answer = await send(THIRTY_THREE_MB, { 'transfer-encoding': 'chunked', 'x-api-key': 'tk-alice' });
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(413);
  });
});

describe('keys before the body (case 9)', () => {
  it('answers 401 to a client without a key while its body is still unsent', async () => {
    // 1 MiB sent of a declared 8 MiB that never completes: a gateway that reads the body first never answers.
    const answer = await send(1024 * 1024, { 'content-length': 8 * 1024 * 1024 }, { endBody: false });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body!)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('answers 401 to a wrong key on count_tokens too, before the body', async () => {
    const answer = await fetch(`${gateway.url}/v1/messages/count_tokens`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'nope' }, body: '{' });
    expect(answer.status).toBe(401);
  });

  it('counts count_tokens against the key\'s requests per minute', async () => {
    const count = (): Promise<Response> =>
      fetch(`${gateway.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'tk-counted' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
    expect((await count()).status).toBe(200);
    expect((await count()).status).toBe(200);
    const third = await count();
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
