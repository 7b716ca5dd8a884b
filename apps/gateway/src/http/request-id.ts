import { randomBytes } from 'node:crypto';

/** `req_` + 24 hex chars, the shape Anthropic's own request ids have; logged and sent as `request-id`. */
export function newRequestId(): string {
  return `req_${randomBytes(12).toString('hex')}`;
}
