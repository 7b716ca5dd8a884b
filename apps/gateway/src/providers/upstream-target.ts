import type { ProviderKind, UpstreamTarget } from '@turnout/providers';
import type { ProviderConfig } from '@turnout/config';

/** The upstream client's view of a configured provider: address, auth style, key, timeouts. */
export function upstreamTarget(
  provider: ProviderConfig,
  kind: ProviderKind,
  secrets: Readonly<Record<string, string | undefined>>,
): UpstreamTarget {
  return {
    id: provider.id,
    baseUrl: provider.baseUrl,
    auth: kind.auth,
    apiKey: provider.apiKeyEnv ? secrets[provider.apiKeyEnv] : undefined,
    timeouts: provider.timeouts,
  };
}
