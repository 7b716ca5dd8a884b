import { GatewayError } from '@turnout/errors';
import { apiKeyEnvProblem } from '../env/provider-secrets';

/**
 * Admin writes may not point `api_key_env` off the allowlist (issue 15, case 10): refused with
 * the config's own error before the store sees the document. The raw document is read (the
 * store validates the rest), so the check cannot disagree with what is written.
 */
export function refuseDisallowedApiKeyEnv(document: unknown, allow: readonly string[]): void {
  const providers = (document as { providers?: unknown } | null)?.providers;
  if (!Array.isArray(providers)) return;
  const named = providers
    .filter((provider): provider is Record<string, unknown> => typeof provider === 'object' && provider !== null)
    .map((provider) => ({ id: String(provider.id), apiKeyEnv: typeof provider.api_key_env === 'string' ? provider.api_key_env : undefined }));
  const problem = apiKeyEnvProblem({ providers: named } as never, allow);
  if (problem !== undefined) throw new GatewayError('GW_CONFIG_INVALID', { message: `config: ${problem}` });
}
