/**
 * A response header value built from config or client text (a route name, a glob, a rewrite
 * naming client betas) must be a valid field value, or Node throws while the reply is being
 * written and the client gets a 500 instead of its answer (issue 15, case 5). Printable ASCII
 * passes as is; anything else (non-ASCII, control characters, DEL) is percent-encoded as UTF-8,
 * the way RFC 8187 encodes non-ASCII parameters, so the value stays readable and reversible
 * (`decodeURIComponent`). `%` itself is encoded too when anything else was, so the encoding is
 * unambiguous. Long values are cut: a header is a label, not a payload.
 */
export const MAX_HEADER_VALUE_LENGTH = 1024;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const PLAIN = /^[\x20-\x7e\t]*$/;

export function safeHeaderValue(value: string): string {
  const text = PLAIN.test(value) ? value : encodeUnsafe(value);
  return text.length <= MAX_HEADER_VALUE_LENGTH ? text : `${text.slice(0, MAX_HEADER_VALUE_LENGTH - 3).replace(/%[0-9A-F]?$/, '')}...`;
}

function encodeUnsafe(value: string): string {
  // A lone surrogate would make encodeURIComponent throw: it becomes U+FFFD first.
  const wellFormed = value.replace(LONE_SURROGATE, '\ufffd');
  return wellFormed.replace(/[^\x20-\x24\x26-\x7e]+/g, (run: string) => encodeURIComponent(run));
}
