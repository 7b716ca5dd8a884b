import { newKeySecret, sha256Hex } from '@turnout/access';

/** A new gateway key (the one generator: libs/access). */
export const newApiKey = newKeySecret;

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
