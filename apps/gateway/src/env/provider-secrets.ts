import type { TurnoutConfig } from '@turnout/config';
import { globMatches } from '@turnout/routing';

/**
 * Issue 15, case 10: what counts as a secret, and where it may come from.
 *
 * `api_key_env` may only name variables matching the allowlist (TURNOUT_API_KEY_ENV_ALLOW,
 * default `TURNOUT_*` and `*_API_KEY`): otherwise whoever can write the config (the admin API)
 * could point a provider at any variable of the process (a database password) and a
 * `base_url` of their own, and read it from the request headers.
 */
export function apiKeyEnvAllowed(name: string, allow: readonly string[]): boolean {
  return allow.some((glob) => globMatches(glob, name).matched);
}

/** The first provider whose `api_key_env` is off the allowlist, as a sentence; undefined when all are fine. */
export function apiKeyEnvProblem(config: Pick<TurnoutConfig, 'providers'>, allow: readonly string[]): string | undefined {
  const bad = config.providers.find((provider) => provider.apiKeyEnv !== undefined && !apiKeyEnvAllowed(provider.apiKeyEnv, allow));
  return bad === undefined
    ? undefined
    : `provider ${bad.id}: api_key_env ${bad.apiKeyEnv} is not allowed (allowed names: ${allow.join(', ')}; TURNOUT_API_KEY_ENV_ALLOW)`;
}

/** The environment as upstream keys may be read from it: only variables on the allowlist. */
export function allowedSecrets(env: Readonly<Record<string, string | undefined>>, allow: readonly string[]): Readonly<Record<string, string | undefined>> {
  return Object.freeze(Object.fromEntries(Object.entries(env).filter(([name]) => apiKeyEnvAllowed(name, allow))));
}

/** `http://user:pass@host/` → `http://***@host/`: credentials in a URL are never shown. */
export function redactUrlCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '***';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
}

/** Every value that must be masked wherever it could be echoed: upstream keys, URL credentials, tokens. */
export function secretValues(config: TurnoutConfig, secrets: Readonly<Record<string, string | undefined>>, tokens: readonly (string | undefined)[]): string[] {
  const values: string[] = [];
  for (const provider of config.providers) {
    if (provider.apiKeyEnv !== undefined) values.push(secrets[provider.apiKeyEnv] ?? '');
    try {
      const { username, password } = new URL(provider.baseUrl);
      for (const part of [username, password]) if (part) values.push(part, decodeURIComponent(part));
    } catch {
      // not a URL: validation refused it already
    }
  }
  for (const token of tokens) if (token) values.push(token);
  return values.filter((value) => value !== '');
}
