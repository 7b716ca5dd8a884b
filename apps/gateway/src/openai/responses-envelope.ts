import { GatewayError } from '@turnout/errors';
import { isRecord, type JsonRecord } from '@turnout/protocol';

/** The top-level envelope of a `/v1/responses` body; the items inside are the translation's to read. */
export function validateResponsesEnvelope(body: unknown): JsonRecord {
  if (!isRecord(body)) throw invalid('body: must be a JSON object');
  if (body.model === undefined) throw invalid('model: Field required');
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model: must be a non-empty string');
  if (body.input === undefined) throw invalid('input: Field required');
  if (typeof body.input !== 'string' && !Array.isArray(body.input)) throw invalid('input: must be a string or an array of items');
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw invalid('stream: must be a boolean');
  return body;
}

function invalid(message: string): GatewayError {
  return new GatewayError('GW_INVALID_REQUEST', { message });
}
