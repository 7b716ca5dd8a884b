import { randomBytes } from 'node:crypto';
import { sha256Hex } from '@turnout/access';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A new gateway key: `tk-` + 32 base62 characters (190 bits), from the OS's random source. */
export function newApiKey(): string {
  const bytes = randomBytes(64);
  let key = 'tk-';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely (248 = 4 × 62).
    if (byte < 248) key += ALPHABET[byte % 62];
    if (key.length === 35) break;
  }
  return key.length === 35 ? key : newApiKey();
}

/** `turnout keys new [--id ID]`: prints the key once, and the config entry that stores only its hash. */
export function keysNewOutput(id: string): string {
  const key = newApiKey();
  return [
    `key (shown once; give it to its user): ${key}`,
    '',
    'config entry (stores only the SHA-256):',
    'keys:',
    `  - id: ${id}`,
    `    sha256: ${sha256Hex(key)}`,
    '    # models: ["claude-*"]        # optional: allowed model globs',
    '    # requests_per_minute: 60     # optional',
    '    # tokens_per_minute: 200000   # optional',
    '',
  ].join('\n');
}
