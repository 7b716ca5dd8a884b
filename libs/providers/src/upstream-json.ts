import { GatewayError } from '@turnout/errors';
import { readBody, type UpstreamClient, type UpstreamTarget } from './upstream-client';

/** Probe and counting answers are small; a body past this is not the endpoint we meant. */
const MAX_JSON_BYTES = 2 * 1024 * 1024;

export interface JsonCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Serialised as JSON for a POST. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * One side call's outcome as data: probes and token counting must never throw, and they
 * treat "not there" (404), "not allowed" (401/403), "broken" and "gone" differently.
 */
export type JsonAnswer =
  | { readonly outcome: 'json'; readonly status: number; readonly json: unknown }
  /** Any status outside 2xx; the body is discarded. */
  | { readonly outcome: 'status'; readonly status: number }
  | { readonly outcome: 'not-json'; readonly status: number }
  /** No HTTP answer: refused, timed out, aborted. `error` is safe to show. */
  | { readonly outcome: 'failed'; readonly error: string };

/** Sends one request and reads a JSON answer, without ever throwing. */
export async function callJson(client: UpstreamClient, target: UpstreamTarget, call: JsonCall, signal: AbortSignal): Promise<JsonAnswer> {
  if (signal.aborted) return { outcome: 'failed', error: abortedWhy(signal) };
  try {
    const response = await client.send({
      target,
      path: call.path,
      method: call.method,
      ...(call.method === 'POST' ? { body: JSON.stringify(call.body ?? {}) } : {}),
      ...(call.headers ? { headers: call.headers } : {}),
      signal,
    });
    if (response.status < 200 || response.status >= 300) {
      response.discard();
      return { outcome: 'status', status: response.status };
    }
    const text = (await readBody(response.body, MAX_JSON_BYTES)).toString('utf8');
    try {
      return { outcome: 'json', status: response.status, json: JSON.parse(text) as unknown };
    } catch {
      return { outcome: 'not-json', status: response.status };
    }
  } catch (error) {
    if (signal.aborted) return { outcome: 'failed', error: abortedWhy(signal) };
    return { outcome: 'failed', error: GatewayError.is(error) ? error.message : 'unexpected failure' };
  }
}

/** The caller's deadline or cancellation, said as such rather than as a network failure. */
function abortedWhy(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  const name = typeof reason === 'object' && reason !== null && 'name' in reason ? String(reason.name) : '';
  return name === 'TimeoutError' ? 'no answer before the deadline' : 'cancelled';
}
