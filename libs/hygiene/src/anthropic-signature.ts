/**
 * Whether a thinking `signature` can have come from the Anthropic API. Anthropic signatures
 * are opaque base64 strings hundreds of characters long. What other servers put there is
 * `""` (the gateway's own translators, llama.cpp), a missing key, or short ids; a random
 * string of ours or theirs would also fail the length floor. The test is deliberately
 * loose on the Anthropic side (standard base64 alphabet, optional padding, no length-mod-4
 * check): dropping a genuine Anthropic block would corrupt a conversation, while keeping a
 * long base64-looking foreign one only costs the 400 the rule exists to avoid.
 */
export const MIN_ANTHROPIC_SIGNATURE_LENGTH = 100;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function isAnthropicSignature(signature: unknown): boolean {
  return typeof signature === 'string' && signature.length >= MIN_ANTHROPIC_SIGNATURE_LENGTH && BASE64.test(signature);
}
