import { GatewayError } from '@turnout/errors';
import { isRecord, type JsonRecord } from '@turnout/protocol';

/** Largest `n` a chat request may ask for: more answers than this is a batch job, not a chat. */
const MAX_CHOICES = 8;

/**
 * The top-level envelope of a `/v1/chat/completions` body, checked the way OpenAI words it
 * (`messages: Field required`); everything inside is the upstream's to judge on passthrough
 * and the translator's on translation.
 */
export function validateChatEnvelope(body: unknown): JsonRecord {
  if (!isRecord(body)) throw invalid('body: must be a JSON object');
  if (body.model === undefined) throw invalid('model: Field required');
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model: must be a non-empty string');
  if (body.messages === undefined) throw invalid('messages: Field required');
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw invalid('messages: must be a non-empty array');
  body.messages.forEach((message, index) => {
    if (!isRecord(message) || typeof message.role !== 'string') throw invalid(`messages[${index}].role: Field required`);
  });
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw invalid('stream: must be a boolean');
  if (body.n !== undefined && body.n !== null && (!Number.isInteger(body.n) || (body.n as number) < 1 || (body.n as number) > MAX_CHOICES)) {
    throw invalid(`n: must be an integer from 1 to ${MAX_CHOICES}`);
  }
  return body;
}

function invalid(message: string): GatewayError {
  return new GatewayError('GW_INVALID_REQUEST', { message });
}
