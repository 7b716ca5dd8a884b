import type { ApiKeyConfig } from '@turnout/config';

/** Token and cost budgets of a key (all optional; a day and a month are UTC). */
export interface KeyBudget {
  readonly daily_tokens?: number;
  readonly monthly_tokens?: number;
  readonly daily_usd?: number;
  readonly monthly_usd?: number;
}

/**
 * A key made through the admin API, as stored (Redis): the SHA-256 of its secret, never the
 * secret. `prefix` (the secret's first 8 characters) lets an operator recognise a key a user
 * shows them without the store holding anything usable.
 */
export interface StoredKey {
  readonly id: string;
  readonly name: string;
  readonly owner?: string;
  readonly prefix: string;
  readonly sha256: string;
  readonly created_at: string;
  readonly expires_at?: string;
  readonly revoked_at?: string;
  readonly models?: readonly string[];
  readonly requests_per_minute?: number;
  readonly tokens_per_minute?: number;
  readonly budget?: KeyBudget;
}

/** What the key gate checks: a config key or a stored one, in one shape. */
export interface GatewayKey extends ApiKeyConfig {
  readonly name: string;
  readonly source: 'api' | 'config';
  /** Epoch ms; the key is refused from then on. */
  readonly expiresAt?: number;
  readonly revokedAt?: string;
  readonly budget?: KeyBudget;
}

/** KEYS-API.md's KeyView: everything about a key but its secret and hash. */
export interface KeyView {
  readonly id: string;
  readonly name: string;
  readonly owner?: string;
  readonly prefix?: string;
  readonly source: 'api' | 'config';
  readonly created_at?: string;
  readonly expires_at?: string;
  readonly revoked_at?: string;
  readonly last_used_at?: string;
  readonly models?: readonly string[];
  readonly requests_per_minute?: number;
  readonly tokens_per_minute?: number;
  readonly budget?: KeyBudget;
}

export function gatewayKeyOfConfig(key: ApiKeyConfig): GatewayKey {
  return { ...key, name: key.id, source: 'config' };
}

export function gatewayKeyOfStored(key: StoredKey): GatewayKey {
  return {
    id: key.id,
    sha256: key.sha256,
    models: key.models,
    requestsPerMinute: key.requests_per_minute,
    tokensPerMinute: key.tokens_per_minute,
    name: key.name,
    source: 'api',
    ...(key.expires_at === undefined ? {} : { expiresAt: Date.parse(key.expires_at) }),
    ...(key.revoked_at === undefined ? {} : { revokedAt: key.revoked_at }),
    ...(key.budget === undefined ? {} : { budget: key.budget }),
  };
}

export function viewOfStored(key: StoredKey, lastUsedAt: string | undefined): KeyView {
  const { sha256: _hash, ...view } = key;
  return { ...view, source: 'api', ...(lastUsedAt === undefined ? {} : { last_used_at: lastUsedAt }) };
}

export function viewOfConfig(key: ApiKeyConfig, lastUsedAt: string | undefined): KeyView {
  return {
    id: key.id,
    name: key.id,
    source: 'config',
    ...(key.models === undefined ? {} : { models: key.models }),
    ...(key.requestsPerMinute === undefined ? {} : { requests_per_minute: key.requestsPerMinute }),
    ...(key.tokensPerMinute === undefined ? {} : { tokens_per_minute: key.tokensPerMinute }),
    ...(key.budget === undefined ? {} : { budget: key.budget }),
    ...(lastUsedAt === undefined ? {} : { last_used_at: lastUsedAt }),
  };
}
