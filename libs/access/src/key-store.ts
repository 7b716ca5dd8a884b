import { GatewayError } from '@turnout/errors';
import type { StoredKey } from './gateway-key';

/**
 * Where keys made through the admin API live. `keys()` is synchronous (a snapshot refreshed in
 * the background), because keys are checked in the earliest request hook, before the body is
 * read, and a store round trip there would put Redis on every request's path.
 */
export interface KeyStore {
  /** false in file mode: the API and CLI say keys are read-only there (409). */
  readonly writable: boolean;
  /** false until the stored keys were read once: until then the gateway must not run open. */
  readonly loaded: boolean;
  keys(): readonly StoredKey[];
  /** Re-reads the store now (admin calls: a list or an edit sees other replicas' writes at once). */
  refresh(): Promise<void>;
  /** Creates or replaces one key (by id); visible to this replica at once, to the others within the poll interval. */
  put(key: StoredKey): Promise<void>;
  /** Remembers that a key was used (written to the store at most every few seconds). */
  touch(id: string, at: number): void;
  /** Last use per key id (ISO time), as far as the store knows. */
  lastUsed(): Promise<ReadonlyMap<string, string>>;
  close(): Promise<void>;
}

const NO_KEYS: readonly StoredKey[] = Object.freeze([]);

/** File mode: the config file's keys only; nothing can be written. */
export class ReadOnlyKeyStore implements KeyStore {
  readonly writable = false;
  readonly loaded = true;
  private readonly used = new Map<string, string>();

  keys(): readonly StoredKey[] {
    return NO_KEYS;
  }

  async refresh(): Promise<void> {}

  async put(): Promise<void> {
    throw keysReadOnly();
  }

  touch(id: string, at: number): void {
    this.used.set(id, new Date(at).toISOString());
  }

  async lastUsed(): Promise<ReadonlyMap<string, string>> {
    return this.used;
  }

  async close(): Promise<void> {}
}

export function keysReadOnly(): GatewayError {
  return new GatewayError('GW_CONFIG_READ_ONLY', {
    message: 'keys are read-only in file mode: add them to the config file (turnout keys new), or set REDIS_URL to manage them through the admin API',
  });
}
