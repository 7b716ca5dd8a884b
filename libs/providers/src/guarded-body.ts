import { GatewayError } from '@turnout/errors';
import { classifyUpstreamFailure } from './upstream-failure';

/** What the caller wants to know about, or do with, an upstream body as it is read. */
export interface BodyWatch {
  /** Called once, when the body ends, fails or is abandoned: the end of the upstream's part. */
  readonly onEnd?: () => void;
  /**
   * When the consumer stops early (the client left), keep reading the body to its end in the
   * background and drop it, instead of cutting the connection. For `on_disconnect: drain`
   * providers: a server that mishandles a cut connection finishes its generation normally.
   */
  readonly drainOnEarlyReturn?: boolean;
}

/**
 * An upstream body as the gateway reads it: read failures (idle timeout, reset, abort) become
 * classified GatewayErrors, the end is reported once, and an early return either releases the
 * body (undici destroys the socket) or drains it.
 *
 * A hand-written iterator, not an async generator: a relayed stream is read once per token, and
 * each generator layer costs several promise hops per read (issue 14's stream regression had
 * four such layers here). This adds one `then` per read.
 */
export function guardedBody(source: AsyncIterable<Uint8Array>, watch: BodyWatch = {}): AsyncIterable<Uint8Array> {
  return new GuardedBody(source, watch);
}

/** A class, not an object literal: a literal's computed `[Symbol.asyncIterator]` key is defined through V8's runtime, ~6,000 instructions per request. */
class GuardedBody implements AsyncIterable<Uint8Array> {
  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    private readonly watch: BodyWatch,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return new GuardedBodyIterator(this.source[Symbol.asyncIterator](), this.watch);
  }
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

class GuardedBodyIterator implements AsyncIterator<Uint8Array> {
  private finished = false;

  constructor(
    private readonly inner: AsyncIterator<Uint8Array>,
    private readonly watch: BodyWatch,
  ) {}

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.finished) return Promise.resolve(DONE);
    return this.inner.next().then(this.onResult, this.onFailure);
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    if (this.finished) return Promise.resolve(DONE);
    this.finish();
    if (this.watch.drainOnEarlyReturn) {
      void drain(this.inner);
      return Promise.resolve(DONE);
    }
    return Promise.resolve(this.inner.return?.()).then(
      () => DONE,
      () => DONE,
    );
  }

  private readonly onResult = (result: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
    if (result.done === true) this.finish();
    return result;
  };

  private readonly onFailure = (error: unknown): never => {
    this.finish();
    throw GatewayError.is(error) ? error : classifyUpstreamFailure(error, 'body');
  };

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.watch.onEnd?.();
  }
}

async function drain(iterator: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    while ((await iterator.next()).done !== true);
  } catch {
    // The upstream failed while nobody was listening: nothing to report to.
  }
}
