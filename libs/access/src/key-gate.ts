import type { ApiKeyConfig } from '@turnout/config';
import type { GatewayKey } from './gateway-key';
import { GatewayError } from '@turnout/errors';
import { compileModelPattern } from '@turnout/routing';
import { checkApiKey } from './api-key-check';
import type { RateLimiter } from './rate-limiter';

/**
 * Gateway API keys (issue 6). No keys configured: open. Otherwise a known key is required
 * (401), its model globs must allow the requested model (403), and its per-minute limits must
 * not be spent (429 with retry-after). The keys are read on every call, so a key added or
 * revoked through the admin API applies to the next request on every replica.
 */
export class KeyGate {
  constructor(
    private readonly keys: () => readonly GatewayKey[],
    private readonly limiter: RateLimiter,
    private readonly warn: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The configured key the client presented; undefined when the gateway is open. Throws 401 otherwise. */
  authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): GatewayKey | undefined {
    const keys = this.keys();
    if (keys.length === 0) return undefined;
    const check = checkApiKey(headers, keys);
    if (!check.ok) throw unauthenticated(check.reason === 'missing' ? 'x-api-key header is required' : 'invalid x-api-key');
    const key = check.key;
    // Revoked and expired keys stay known, so the refusal can say which (the secret is still never echoed).
    if (key.revokedAt !== undefined) throw unauthenticated(`key ${key.name} was revoked at ${key.revokedAt}`);
    if (key.expiresAt !== undefined && key.expiresAt <= this.now()) throw unauthenticated(`key ${key.name} expired at ${new Date(key.expiresAt).toISOString()}`);
    return key;
  }

  /** For a model request: the key may use the model (403), and, when counted, is within its limits (429). */
  async authorize(key: ApiKeyConfig, model: string | undefined, countRequest: boolean): Promise<void> {
    if (model !== undefined && !keyAllowsModel(key, model)) {
      throw new GatewayError('GW_PERMISSION', { message: `key ${key.id} may not use model "${model}"` });
    }
    if (countRequest) {
      const admission = await this.limiter.admit(key.id, key);
      if (!admission.ok) {
        throw new GatewayError('GW_RATE_LIMITED', {
          message: `key ${key.id} is over its ${admission.what} per minute; retry in ${admission.retryAfterSeconds} s`,
          headers: { 'retry-after': String(admission.retryAfterSeconds) },
        });
      }
    }
  }

  /** Tokens the upstream reported for a finished request count against its key's budget. */
  recordTokens(key: ApiKeyConfig | undefined, tokens: number): void {
    if (key?.tokensPerMinute === undefined || tokens <= 0) return;
    this.limiter.recordTokens(key.id, tokens).catch((error: unknown) => this.warn(`token accounting failed: ${String(error)}`));
  }
}

function unauthenticated(message: string): GatewayError {
  return new GatewayError('GW_AUTHENTICATION', { message, headers: { 'x-should-retry': 'false' } });
}

export function keyAllowsModel(key: ApiKeyConfig, model: string): boolean {
  return key.models === undefined || key.models.some((pattern) => compileModelPattern(pattern)(model));
}
