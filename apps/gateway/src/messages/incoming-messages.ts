import type { AnthropicRequest, JsonRecord } from '@turnout/protocol';
import type { GatewayKey } from '@turnout/access';

/** What the controller hands the pipeline: the parsed body, its bytes, the client's headers. */
export interface IncomingMessages {
  readonly body: AnthropicRequest;
  /** The body exactly as received; passthrough sends these bytes unless a rewrite applies. */
  readonly raw: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The gateway key that authenticated the request (undefined when the gateway is open). */
  readonly key?: GatewayKey;
  /**
   * Set when the request came by an OpenAI-compatible API (issue 17): `body` and `raw` are
   * then its Anthropic view, which routing, limits and Anthropic upstreams use.
   */
  readonly openai?: OpenAiInbound;
}

/** The OpenAI-compatible APIs a request may arrive by (`messages` is Anthropic's). */
export type OpenAiApi = 'chat_completions' | 'responses';

/**
 * A request that arrived by an OpenAI-compatible API, as chat completions (a Responses request
 * is turned into one at the edge). The pipeline routes, counts and limits by its Anthropic view
 * (`IncomingMessages.body`); OpenAI-compatible upstreams get `raw`, Anthropic ones the view.
 */
export interface OpenAiInbound {
  readonly api: OpenAiApi;
  readonly chat: JsonRecord;
  /** The chat request's bytes: the client's own for `/v1/chat/completions`, so passthrough forwards them untouched. */
  readonly raw: Buffer;
  /** `stream_options.include_usage`: whether the client wants the usage chunk. */
  readonly includeUsage: boolean;
}
