import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A new gateway key: `tk-` + 32 base62 characters (190 bits), from the OS's random source. */
export function newKeySecret(): string {
  const bytes = randomBytes(64);
  let key = 'tk-';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely (248 = 4 × 62).
    if (byte < 248) key += ALPHABET[byte % 62];
    if (key.length === 35) break;
  }
  return key.length === 35 ? key : newKeySecret();
}

/** A stored key's id: `key_` + 12 hex characters (not derived from the secret). */
export function newKeyId(): string {
  return `key_${randomBytes(6).toString('hex')}`;
}
