import type { GatewayError } from '@turnout/errors';
import type {
  AnthropicMessage,
  AnthropicRequest,
  AnthropicStreamEvent,
  Dialect,
  Protocol,
  StopReason,
  TranslatorId,
} from '@turnout/protocol';

/**
 * Everything a translation needs that is not in the request body. Nondeterminism (ids) is
 * injected so that fixtures are exact and retries reproduce the same upstream body.
 */
export interface TranslateContext {
  readonly requestId: string;
  /** The model name the client sent: echoed back in every response. */
  readonly requestedModel: string;
  /** The model name the upstream is asked for (the route may rewrite it). */
  readonly upstreamModel: string;
  readonly dialect: Dialect;
  readonly newId: (prefix: 'msg' | 'toolu') => string;
  /**
   * The upstream model's context window in tokens, when the gateway knows it (configured, or
   * probed from Ollama's `/api/show`). Translators whose upstream loads a model with a size
   * chosen per request send it (Ollama `options.num_ctx`: its default, 4k–256k by VRAM, truncates
   * long prompts silently; docs/protocol.md §8.1). Absent: the upstream's own default applies.
   */
  readonly contextWindow?: number;
}

/** Token usage as the upstream reported it, in Anthropic terms. Returned as data; metrics live elsewhere. */
export interface UsageReport {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheCreationInputTokens: number;
  /** False when the upstream reported nothing and the figures are estimates. */
  readonly reported: boolean;
}

/**
 * One response stream's translation, as a synchronous state machine: feed it upstream events
 * in order, get Anthropic events back. One instance per request, never shared (docs/style.md rule 8).
 * `push` and `end` throw a GatewayError when the upstream stream is broken; the reply writer
 * turns that into an HTTP error before the first byte, or an `event: error` frame after it.
 */
export interface StreamMachine<In, Out> {
  push(event: In): readonly Out[];
  /** Closing events, exactly once, when the upstream body has ended. */
  end(): readonly Out[];
  readonly usage: UsageReport | undefined;
  readonly stopReason: StopReason | null;
}

export interface TranslatedResponse {
  readonly body: AnthropicMessage;
  readonly usage: UsageReport;
}

/**
 * The translation of one request: the upstream body, plus the response side, which needs
 * what the request side learnt (shortened tool names, stop sequences, the client's model name).
 */
export interface Exchange<UpstreamEvent> {
  /** JSON body for the upstream; `stream` in it mirrors the client's `stream`. */
  readonly upstreamBody: unknown;
  /** Non-streaming upstream body (already parsed JSON) to an Anthropic Message. */
  fromResponse(json: unknown): TranslatedResponse;
  /**
   * Upstream streaming body bytes to upstream events (SSE or NDJSON decoding + JSON parsing),
   * one array per network read: what arrived together is translated and written together.
   */
  decode(bytes: AsyncIterable<Uint8Array>): AsyncIterable<readonly UpstreamEvent[]>;
  /** A fresh state machine for this request's stream. */
  createStream(): StreamMachine<UpstreamEvent, AnthropicStreamEvent>;
}

export interface Translator<UpstreamEvent = unknown> {
  readonly id: TranslatorId;
  readonly upstreamProtocol: Protocol;
  /** Pure: the same request and context always give the same exchange. Never mutates `request`. */
  begin(request: AnthropicRequest, context: TranslateContext): Exchange<UpstreamEvent>;
  /** An upstream HTTP error (status, raw body text) as the error the client should see. */
  error(status: number, body: string, headers: Readonly<Record<string, string>>): GatewayError;
}

/**
 * Drives a machine over batches of upstream events (one per network read), yielding what each
 * batch became as one batch (empty batches included): the writer turns a batch into one write.
 * A fast upstream whose frames arrive many to a read costs one write per read instead of one per
 * token; a slow one (a frame per read) is written exactly as soon as before.
 */
export async function* runMachineInBatches<I, O>(machine: StreamMachine<I, O>, source: AsyncIterable<readonly I[]>): AsyncGenerator<readonly O[]> {
  for await (const batch of source) {
    if (batch.length === 1) {
      yield machine.push(batch[0] as I);
      continue;
    }
    const out: O[] = [];
    try {
      for (const event of batch) for (const produced of machine.push(event)) out.push(produced);
    } catch (error) {
      // What the events before the broken one produced still reaches the client, then the error.
      if (out.length > 0) yield out;
      throw error;
    }
    yield out;
  }
  yield machine.end();
}
