import type { AnthropicRequest } from '@turnout/protocol';
import type { GatewayKey } from '@turnout/access';

/** What the controller hands the pipeline: the parsed body, its bytes, the client's headers. */
export interface IncomingMessages {
  readonly body: AnthropicRequest;
  /** The body exactly as received; passthrough sends these bytes unless a rewrite applies. */
  readonly raw: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The gateway key that authenticated the request (undefined when the gateway is open). */
  readonly key?: GatewayKey;
}
