import { GatewayError } from '@turnout/errors';
import { readBody, type BodyWatch, type UpstreamResponse } from '@turnout/providers';
import type { ProviderConfig } from '@turnout/config';
import type { UsageReport } from '@turnout/translate';
import type { Exchange } from '../http/exchange';
import type { ExchangeTimings, RequestContext } from '../http/request-context';

/** How the forwarders have the upstream body watched: its end timed (for the overhead metric), drained if the provider asks. */
export function upstreamBodyWatch(provider: ProviderConfig, timings: ExchangeTimings): BodyWatch {
  return {
    onEnd: () => {
      timings.upstreamEndedAt = performance.now();
    },
    drainOnEarlyReturn: provider.onDisconnect === 'drain',
  };
}

/** Largest non-streaming upstream response accepted. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** A unary upstream answer: its bytes (bounded) and their JSON; anything but JSON is GW_UPSTREAM_PROTOCOL. */
export async function readJsonBody(response: UpstreamResponse): Promise<{ readonly raw: Buffer; readonly json: unknown }> {
  const raw = await readBody(response.body, MAX_RESPONSE_BYTES);
  return { raw, json: parseUpstreamJson(raw.toString('utf8')) };
}

export function parseUpstreamJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('GW_UPSTREAM_PROTOCOL', { message: 'upstream: response body is not JSON' });
  }
}

/** What a relayed stream learnt on the side, read when the exchange settles. */
export interface RelayedStreamFacts {
  readonly firstContentAt: number | undefined;
  readonly usage: UsageReport | undefined;
  readonly stopReason: string | null;
}

/**
 * A relayed upstream stream as an exchange (both passthrough tracks). The upstream committed to
 * a stream when it sent 200, so the exchange is final: frames flow as they arrive, and what
 * breaks later is the stream's one error. Both kinds of failure are GatewayErrors already: the
 * body's read failures (reset, idle timeout) classified by `guardedBody`, the relay's its own.
 * The relay's frames go to the writer as they are: a wrapper here would add promise hops to
 * every token (issue 14).
 */
export function relayedStreamExchange(
  relayed: AsyncIterable<string | Uint8Array>,
  facts: RelayedStreamFacts,
  headers: Record<string, string>,
  contentType: string,
  context: RequestContext,
): Exchange {
  return {
    status: 200,
    headers,
    body: { kind: 'frames', frames: relayed, contentType },
    settle: () => {
      context.timings.firstContentAt = facts.firstContentAt;
      return { usage: facts.usage, stopReason: facts.stopReason };
    },
  };
}
