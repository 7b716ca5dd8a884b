import { createHash } from 'node:crypto';

/**
 * The `key_sha256` a config stores for a gateway key, computed here on its own (not with the
 * gateway's `sha256Hex`), so the tests that write such configs are an independent check of it.
 */
export function keySha256(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
