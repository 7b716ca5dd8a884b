import type { AnthropicRequest } from '@turnout/protocol';
import type { ProviderKind } from '../kinds/provider-kind';
import type { UpstreamClient, UpstreamTarget } from '../upstream-client';

/** Everything one counting strategy needs; `signal` is already bounded to the strategy's budget. */
export interface CountingCall {
  readonly client: UpstreamClient;
  readonly target: UpstreamTarget;
  readonly kind: ProviderKind;
  readonly request: AnthropicRequest;
  readonly upstreamModel: string;
  readonly signal: AbortSignal;
}

/** One way to count: its stable name (reported to the client) and the count, or undefined when it cannot. */
export interface CountingStrategy {
  readonly method: string;
  count(call: CountingCall): Promise<number | undefined>;
}

/** A token count as the upstream reported it: a non-negative integer, else nothing. */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
