import type { AnthropicStreamEvent } from '@turnout/protocol';
import { synthesizedSafeguardResults, type SafeguardResult } from './safeguard-results';
import type { Exchange, StreamMachine, Translator } from './translator';

/**
 * A translator whose answers carry `safeguard_results` when the request asked for `safeguards`:
 * a translated upstream can never run Anthropic's classifier, so Turnout always answers for it
 * (safeguard-results.ts). The wrapped translator drops the field from the upstream body as any
 * Anthropic-only field; this adds the results to the unary Message and to `message_delta.delta`.
 */
export function withSafeguardResults<E>(translator: Translator<E>): Translator<E> {
  return Object.freeze({
    ...translator,
    begin(request, context) {
      const exchange = translator.begin(request, context);
      const results = synthesizedSafeguardResults(request.safeguards);
      return results === undefined ? exchange : withResults(exchange, results);
    },
  } satisfies Translator<E>);
}

function withResults<E>(exchange: Exchange<E>, results: readonly SafeguardResult[]): Exchange<E> {
  return {
    upstreamBody: exchange.upstreamBody,
    decode: (bytes) => exchange.decode(bytes),
    fromResponse(json) {
      const translated = exchange.fromResponse(json);
      return { ...translated, body: { ...translated.body, safeguard_results: results } as typeof translated.body };
    },
    createStream: () => new ResultsInDelta(exchange.createStream(), results),
  };
}

class ResultsInDelta<E> implements StreamMachine<E, AnthropicStreamEvent> {
  constructor(
    private readonly inner: StreamMachine<E, AnthropicStreamEvent>,
    private readonly results: readonly SafeguardResult[],
  ) {}

  get usage() {
    return this.inner.usage;
  }

  get stopReason() {
    return this.inner.stopReason;
  }

  push(event: E): readonly AnthropicStreamEvent[] {
    return this.withResults(this.inner.push(event));
  }

  end(): readonly AnthropicStreamEvent[] {
    return this.withResults(this.inner.end());
  }

  private withResults(events: readonly AnthropicStreamEvent[]): readonly AnthropicStreamEvent[] {
    if (!events.some((event) => event.type === 'message_delta')) return events;
    return events.map((event) =>
      event.type === 'message_delta' ? ({ ...event, delta: { ...event.delta, safeguard_results: this.results } } as AnthropicStreamEvent) : event,
    );
  }
}
