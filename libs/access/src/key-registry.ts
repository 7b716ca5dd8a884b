import type { ApiKeyConfig } from '@turnout/config';
import { GatewayError } from '@turnout/errors';
import { sha256Hex } from './api-key-check';
import { gatewayKeyOfConfig, gatewayKeyOfStored, viewOfConfig, viewOfStored, type GatewayKey, type KeyBudget, type KeyView, type StoredKey } from './gateway-key';
import { newKeyId, newKeySecret } from './key-secret';
import { keysReadOnly, type KeyStore } from './key-store';

export interface KeyRegistryLimits {
  /** TURNOUT_MAX_KEYS: stored keys (revoked ones included: they are kept to say why a key fails). */
  readonly maxKeys: number;
  /** TURNOUT_KEY_NAME_MAX_LENGTH. */
  readonly maxNameLength: number;
}

export interface CreatedKey {
  readonly key: KeyView;
  /** Shown once, here; only its SHA-256 is stored. */
  readonly secret: string;
}

const NAME = /^[A-Za-z0-9._-]+$/;
const MAX_OWNER_LENGTH = 200;
const MAX_MODEL_GLOBS = 100;
const MAX_GLOB_LENGTH = 256;
const CREATE_FIELDS = new Set(['name', 'owner', 'models', 'requests_per_minute', 'tokens_per_minute', 'expires_at', 'budget']);
const BUDGET_FIELDS = ['daily_tokens', 'monthly_tokens', 'daily_usd', 'monthly_usd'] as const;

/**
 * The key lifecycle (KEYS-API.md): create (the secret returned once), list, show, revoke,
 * rotate. Keys of the config file are listed too (source "config") but only the file changes
 * them. Every admin-supplied field is bounded and checked here, with a message naming it.
 */
export class KeyRegistry {
  constructor(
    private readonly store: KeyStore,
    private readonly configKeys: () => readonly ApiKeyConfig[],
    private readonly limits: KeyRegistryLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private merged: { config: readonly ApiKeyConfig[]; stored: readonly StoredKey[]; keys: readonly GatewayKey[] } | undefined;

  /**
   * Every key the gate checks: the config file's, then the stored ones (revoked and expired
   * included, so a refusal can say which). Called on every request: rebuilt only when the config
   * snapshot or the stored keys' snapshot changed (both are frozen and replaced whole).
   */
  gatewayKeys(): readonly GatewayKey[] {
    const stored = this.store.keys();
    const config = this.configKeys();
    if (this.merged?.config !== config || this.merged.stored !== stored) {
      this.merged = { config, stored, keys: Object.freeze([...config.map(gatewayKeyOfConfig), ...stored.map(gatewayKeyOfStored)]) };
    }
    return this.merged.keys;
  }

  /**
   * No key known anywhere while the stored keys were never read (Redis down since the start):
   * the gate would run open, so this says to refuse instead.
   */
  keysUnknown(): boolean {
    return !this.store.loaded && this.gatewayKeys().length === 0;
  }

  async list(): Promise<KeyView[]> {
    await this.store.refresh();
    const used = await this.lastUsed();
    return [
      ...this.configKeys().map((key) => viewOfConfig(key, used.get(key.id))),
      ...[...this.store.keys()].sort((a, b) => a.created_at.localeCompare(b.created_at)).map((key) => viewOfStored(key, used.get(key.id))),
    ];
  }

  async show(id: string): Promise<KeyView> {
    await this.store.refresh();
    const used = await this.lastUsed();
    const config = this.configKeys().find((key) => key.id === id);
    if (config) return viewOfConfig(config, used.get(id));
    return viewOfStored(this.stored(id), used.get(id));
  }

  async create(body: unknown): Promise<CreatedKey> {
    if (!this.store.writable) throw keysReadOnly();
    const fields = this.createFields(body);
    await this.store.refresh();
    if (this.store.keys().length >= this.limits.maxKeys) {
      throw new GatewayError('GW_CONFIG_CONFLICT', { message: `there are already ${this.limits.maxKeys} stored keys (TURNOUT_MAX_KEYS; revoked keys count)` });
    }
    const taken = this.store.keys().some((key) => key.name === fields.name && key.revoked_at === undefined) || this.configKeys().some((key) => key.id === fields.name);
    if (taken) throw new GatewayError('GW_CONFIG_CONFLICT', { message: `name: a key named "${fields.name}" exists already` });
    const secret = newKeySecret();
    const key: StoredKey = { id: newKeyId(), ...fields, prefix: secret.slice(0, 8), sha256: sha256Hex(secret), created_at: new Date(this.now()).toISOString() };
    await this.store.put(key);
    return { key: viewOfStored(key, undefined), secret };
  }

  async revoke(id: string): Promise<KeyView> {
    await this.store.refresh();
    const key = this.writableKey(id);
    const revoked: StoredKey = key.revoked_at === undefined ? { ...key, revoked_at: new Date(this.now()).toISOString() } : key;
    if (revoked !== key) await this.store.put(revoked);
    return this.show(id);
  }

  /** A new secret for the same key (id, name, limits and usage kept); the old secret stops working at once. */
  async rotate(id: string): Promise<CreatedKey> {
    await this.store.refresh();
    const key = this.writableKey(id);
    if (key.revoked_at !== undefined) throw new GatewayError('GW_CONFIG_CONFLICT', { message: `key ${key.name} (${id}) is revoked; create a new one` });
    const secret = newKeySecret();
    const rotated: StoredKey = { ...key, prefix: secret.slice(0, 8), sha256: sha256Hex(secret) };
    await this.store.put(rotated);
    return { key: await this.show(id), secret };
  }

  /** A key was authenticated (last_used_at). */
  touch(id: string): void {
    this.store.touch(id, this.now());
  }

  private async lastUsed(): Promise<ReadonlyMap<string, string>> {
    return this.store.lastUsed().catch(() => new Map<string, string>());
  }

  private stored(id: string): StoredKey {
    const key = this.store.keys().find((candidate) => candidate.id === id);
    if (!key) throw new GatewayError('GW_NOT_FOUND', { message: `no key with id "${id.slice(0, 64)}"` });
    return key;
  }

  private writableKey(id: string): StoredKey {
    if (this.configKeys().some((key) => key.id === id)) {
      throw new GatewayError('GW_CONFIG_READ_ONLY', { message: `key ${id} comes from the config file: remove it there (the API changes only keys it made)` });
    }
    if (!this.store.writable) throw keysReadOnly();
    return this.stored(id);
  }

  private createFields(body: unknown): Omit<StoredKey, 'id' | 'prefix' | 'sha256' | 'created_at'> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body: must be a JSON object');
    const input = body as Record<string, unknown>;
    for (const field of Object.keys(input)) if (!CREATE_FIELDS.has(field)) throw invalid(`${field.slice(0, 64)}: unknown field`);
    const { name, owner, models, requests_per_minute, tokens_per_minute, expires_at, budget } = input;
    if (typeof name !== 'string' || name.length === 0 || name.length > this.limits.maxNameLength || !NAME.test(name)) {
      throw invalid(`name: required, 1 to ${this.limits.maxNameLength} characters of A-Z a-z 0-9 . _ - (TURNOUT_KEY_NAME_MAX_LENGTH)`);
    }
    if (owner !== undefined && (typeof owner !== 'string' || owner.length > MAX_OWNER_LENGTH)) throw invalid(`owner: a string of at most ${MAX_OWNER_LENGTH} characters`);
    if (models !== undefined && (!Array.isArray(models) || models.length > MAX_MODEL_GLOBS || models.some((glob) => typeof glob !== 'string' || glob.length === 0 || glob.length > MAX_GLOB_LENGTH))) {
      throw invalid(`models: an array of at most ${MAX_MODEL_GLOBS} model globs of 1 to ${MAX_GLOB_LENGTH} characters`);
    }
    let expires: string | undefined;
    if (expires_at !== undefined) {
      const at = typeof expires_at === 'string' && /^\d{4}-\d{2}-\d{2}/.test(expires_at) ? Date.parse(expires_at) : Number.NaN;
      if (Number.isNaN(at)) throw invalid('expires_at: an ISO-8601 time, e.g. 2027-01-31T00:00:00Z');
      if (at <= this.now()) throw invalid('expires_at: must be in the future');
      expires = new Date(at).toISOString();
    }
    return {
      name,
      ...(owner === undefined ? {} : { owner: owner as string }),
      ...(models === undefined ? {} : { models: models as string[] }),
      ...optionalInt('requests_per_minute', requests_per_minute, 1_000_000),
      ...optionalInt('tokens_per_minute', tokens_per_minute, 1_000_000_000),
      ...(expires === undefined ? {} : { expires_at: expires }),
      ...(budget === undefined ? {} : { budget: budgetOf(budget) }),
    };
  }
}

function optionalInt(field: string, value: unknown, max: number): Record<string, number> {
  if (value === undefined) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) throw invalid(`${field}: an integer from 1 to ${max}`);
  return { [field]: value };
}

function budgetOf(value: unknown): KeyBudget {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('budget: an object with daily_tokens, monthly_tokens, daily_usd, monthly_usd');
  const input = value as Record<string, unknown>;
  const budget: Record<string, number> = {};
  for (const field of Object.keys(input)) if (!(BUDGET_FIELDS as readonly string[]).includes(field)) throw invalid(`budget.${field.slice(0, 64)}: unknown field`);
  for (const field of BUDGET_FIELDS) {
    const amount = input[field];
    if (amount === undefined) continue;
    const tokens = field.endsWith('_tokens');
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0 || amount > 1e12 || (tokens && !Number.isInteger(amount))) {
      throw invalid(`budget.${field}: ${tokens ? 'an integer' : 'a number'} above 0`);
    }
    budget[field] = amount;
  }
  return budget;
}

function invalid(message: string): GatewayError {
  return new GatewayError('GW_INVALID_REQUEST', { message });
}
