import { validateSync } from '@turnout/config';
import { GatewayError } from '@turnout/errors';
import { isCertainlyValidCountTokensEnvelope, isCertainlyValidMessagesEnvelope } from './envelope-fast-check';
import { CountTokensEnvelopeDto, ENVELOPE_OPTIONAL_FIELDS, MessagesEnvelopeDto } from './messages-envelope.dto';

type EnvelopeClass<T> = new () => T;

/** The plain-code pass for each DTO (see envelope-fast-check.ts); class-validator runs when it says no. */
const FAST_CHECKS = new Map<EnvelopeClass<object>, (body: Readonly<Record<string, unknown>>) => boolean>([
  [MessagesEnvelopeDto, isCertainlyValidMessagesEnvelope],
  [CountTokensEnvelopeDto, isCertainlyValidCountTokensEnvelope],
]);

/**
 * Validates only the top-level envelope of a Messages body, the way Anthropic words it
 * (`max_tokens: Field required`). The body is not transformed or whitelisted: unknown fields
 * must survive to the translator (docs/style.md §5), and copying a 50 KB body into a DTO would be waste.
 * The DTO instance gets only the envelope fields, shallowly.
 */
export function validateEnvelope<T extends object>(dtoClass: EnvelopeClass<T>, body: unknown, required: readonly string[]): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('GW_INVALID_REQUEST', { message: 'body: must be a JSON object' });
  }
  const record = body as Record<string, unknown>;
  for (const field of required) {
    if (record[field] === undefined) throw new GatewayError('GW_INVALID_REQUEST', { message: `${field}: Field required` });
  }
  // An optional member is absent or a value, never null: code downstream reads `thinking.type`
  // once `thinking !== undefined`, and a null there was a 500 (found by the request fuzz).
  for (const field of ENVELOPE_OPTIONAL_FIELDS) {
    if (record[field] === null) throw new GatewayError('GW_INVALID_REQUEST', { message: `${field}: must not be null (leave it out instead)` });
  }
  if (FAST_CHECKS.get(dtoClass)?.(record) === true) return;
  const dto = new dtoClass() as Record<string, unknown>;
  for (const key of Object.keys(dto).concat(required, ENVELOPE_OPTIONAL_FIELDS)) {
    if (key in record) dto[key] = record[key];
  }
  const errors = validateSync(dto, { skipMissingProperties: false });
  const first = errors[0];
  if (first) {
    const message = firstMessage(first.constraints ?? {}) ?? `${first.property}: is invalid`;
    throw new GatewayError('GW_INVALID_REQUEST', { message });
  }
}

/**
 * The type check's message wins over range checks ("many" is not an integer rather than "too
 * large"); class-validator orders constraints by decorator application, which is bottom-up.
 */
function firstMessage(constraints: Record<string, string>): string | undefined {
  const names = Object.keys(constraints);
  const typeCheck = names.find((name) => TYPE_CHECKS.has(name));
  return constraints[typeCheck ?? names[0]];
}

const TYPE_CHECKS = new Set(['isInt', 'isString', 'isArray', 'isBoolean', 'isNumber']);
