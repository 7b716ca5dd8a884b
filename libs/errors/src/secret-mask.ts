/**
 * Configured secrets (upstream keys, URL passwords, tokens) that must never be echoed: an
 * upstream that repeats the key it was sent in its error body would otherwise hand it to the
 * client and the log (issue 15, case 10). Every error body is rendered by toAnthropicErrorBody,
 * so masking there covers JSON errors and stream `event: error` alike. One process has one set
 * of secrets: the gateway sets them at start and on each config change.
 */
const MASK = '***';
/** Shorter values would mask ordinary words ("1", "abc"); no real key is this short. */
const MIN_SECRET_LENGTH = 8;

let secrets: readonly string[] = [];

export function setMaskedSecrets(values: Iterable<string | undefined>): void {
  const kept = new Set<string>();
  for (const value of values) if (value !== undefined && value.length >= MIN_SECRET_LENGTH) kept.add(value);
  // Longest first, so a secret containing another is masked whole.
  secrets = [...kept].sort((a, b) => b.length - a.length);
}

export function maskSecrets(text: string): string {
  let masked = text;
  for (const secret of secrets) if (masked.includes(secret)) masked = masked.split(secret).join(MASK);
  return masked;
}
