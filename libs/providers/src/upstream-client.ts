import type { Dispatcher } from 'undici';
import { Pool } from './undici-pool';
import { GatewayError } from '@turnout/errors';
import type { UpstreamAuthStyle } from './kinds/provider-kind';
import { classifyUpstreamFailure } from './upstream-failure';
import { guardedBody, type BodyWatch } from './guarded-body';

/** What the client needs to know about one upstream; a plain subset of the provider config. */
export interface UpstreamTarget {
  readonly id: string;
  readonly baseUrl: string;
  readonly auth: UpstreamAuthStyle;
  /** The gateway's own credential for this upstream, if any. Never the client's. */
  readonly apiKey: string | undefined;
  readonly timeouts: { readonly connectMs: number; readonly firstByteMs: number; readonly idleMs: number };
}

export interface UpstreamRequest {
  readonly target: UpstreamTarget;
  /** Path appended to the base URL's own path, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** POST (the default) for generation and counting; GET for the cheap probes (`/props`, `/api/version`). */
  readonly method?: 'GET' | 'POST';
  /** Required for POST; a GET sends none. */
  readonly body?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** How the body is watched as it is read (its end time, draining when the client leaves). */
  readonly watchBody?: BodyWatch;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body as it arrives; consume it or call `discard()` so the connection returns to the pool. */
  readonly body: AsyncIterable<Uint8Array>;
  discard(): void;
}

type PoolFactory = (origin: string, target: UpstreamTarget) => Dispatcher;

const defaultPoolFactory: PoolFactory = (origin, target) =>
  new Pool(origin, {
    connect: { timeout: target.timeouts.connectMs },
    keepAliveTimeout: 30_000,
    // Per-request values below override these; set them anyway so no undici 300 s default hides.
    headersTimeout: target.timeouts.firstByteMs,
    bodyTimeout: target.timeouts.idleMs,
  });

/**
 * HTTP to upstreams over undici, with one keep-alive pool per provider. Resolves when the
 * response headers arrive; failures before that become classified GatewayErrors. Aborting the
 * signal (client gone) destroys the upstream socket, so a local GPU stops generating for nobody.
 */
export class UpstreamClient {
  private readonly pools = new Map<string, Dispatcher>();

  constructor(private readonly createPool: PoolFactory = defaultPoolFactory) {}

  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { target } = request;
    const base = new URL(target.baseUrl);
    const path = `${base.pathname.replace(/\/+$/, '')}${request.path}`;
    const method = request.method ?? 'POST';
    // A GET carries no body, so no content-type either: some servers reject a typed empty body.
    const content = method === 'POST' ? { body: request.body ?? '', type: { 'content-type': 'application/json' } } : { body: undefined, type: {} };
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool(base.origin, target).request({
        method,
        path,
        body: content.body,
        headers: { ...request.headers, ...content.type, ...authHeaders(target) },
        signal: request.signal,
        headersTimeout: target.timeouts.firstByteMs,
        bodyTimeout: target.timeouts.idleMs,
      });
    } catch (error) {
      throw classifyUpstreamFailure(error, 'headers');
    }
    const body = response.body;
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: guardedBody(body, request.watchBody),
      discard: () => {
        // undici's body emits RequestAbortedError when destroyed unread; with no listener that
        // would be an uncaught 'error' event. Nobody wants this body any more: swallow it.
        body.on('error', () => undefined);
        body.destroy();
      },
    };
  }

  /** Closes every pool; in-flight requests are aborted. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  private pool(origin: string, target: UpstreamTarget): Dispatcher {
    // Keyed by everything that shapes the pool, so a config change gets a fresh pool.
    const key = `${target.id}|${origin}|${target.timeouts.connectMs}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = this.createPool(origin, target);
      this.pools.set(key, pool);
    }
    return pool;
  }
}

function authHeaders(target: UpstreamTarget): Record<string, string> {
  if (!target.apiKey) return {};
  return target.auth === 'x-api-key' ? { 'x-api-key': target.apiKey } : { authorization: `Bearer ${target.apiKey}` };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** Reads a whole body, failing once it passes `maxBytes` (a misbehaving upstream must not exhaust memory). */
export async function readBody(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw new GatewayError('GW_UPSTREAM_PROTOCOL', { message: `upstream response exceeds ${maxBytes} bytes` });
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks);
}

/** Reads at most `maxBytes` of a body as UTF-8 text and drops the rest: enough for an error message. */
export async function readBodyPrefix(response: UpstreamResponse, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      size += chunk.byteLength;
      if (size >= maxBytes) break;
    }
  } catch {
    // A body cut short still says something; keep what arrived.
  } finally {
    response.discard();
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
