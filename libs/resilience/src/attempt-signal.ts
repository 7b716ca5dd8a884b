import { GatewayError } from '@turnout/errors';
import type { ProviderConfig } from '@turnout/config';

export interface AttemptSignal {
  /** Aborts the upstream call: the client left (unless the provider drains), or the total timeout passed. */
  readonly signal: AbortSignal;
  /** Clears the total-timeout timer once the exchange is over. */
  dispose(): void;
}

/**
 * The signal one upstream attempt listens to. With `on_disconnect: abort` (the default) the
 * client leaving cancels the upstream call, so a local GPU stops generating for nobody; with
 * `drain` it does not (servers that mishandle aborts), and the answer is read to its end and
 * dropped. `timeouts.total_ms` bounds the whole exchange; its expiry is its own error code. The
 * end of a shutdown's grace period ends every attempt.
 */
export function attemptSignal(clientSignal: AbortSignal, provider: ProviderConfig, shutdown: AbortSignal): AttemptSignal {
  // One controller and plain listeners: AbortSignal.any costs weak references and a
  // FinalizationRegistry entry per call, on every request's hot path.
  const controller = new AbortController();
  const sources = provider.onDisconnect === 'abort' ? [clientSignal, shutdown] : [shutdown];
  const forward = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const source of sources) {
    if (source.aborted) controller.abort(source.reason);
    else source.addEventListener('abort', forward, { once: true });
  }
  let timer: NodeJS.Timeout | undefined;
  const totalMs = provider.timeouts.totalMs;
  if (totalMs !== undefined) {
    timer = setTimeout(
      () => controller.abort(new GatewayError('GW_UPSTREAM_TOTAL_TIMEOUT', { message: `upstream: the exchange took longer than the total timeout (${totalMs} ms)` })),
      totalMs,
    );
    timer.unref();
  }
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      for (const source of sources) source.removeEventListener('abort', forward);
    },
  };
}
