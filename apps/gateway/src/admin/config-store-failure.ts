import { GatewayError } from '@turnout/errors';
import { ConfigStoreError } from '@turnout/config-store';

/** A config store failure as the admin API's Anthropic-shaped answer. */
export function toAdminError(error: unknown): unknown {
  if (!(error instanceof ConfigStoreError)) return error;
  switch (error.kind) {
    case 'conflict':
      return new GatewayError('GW_CONFIG_CONFLICT', {
        message: `config changed since you read it: ${error.message}; read it again (GET /admin/config) and retry`,
        headers: error.currentRevision === undefined ? {} : { etag: `"${error.currentRevision}"` },
      });
    case 'invalid':
      return new GatewayError('GW_CONFIG_INVALID', { message: `config: ${error.message}` });
    case 'read_only':
      return new GatewayError('GW_CONFIG_READ_ONLY', { message: error.message });
    case 'not_found':
      return new GatewayError('GW_NOT_FOUND', { message: error.message });
    case 'unavailable':
      return new GatewayError('GW_CONFIG_STORE_UNAVAILABLE', { message: error.message });
  }
}

/** Runs a store call, translating its failures. */
export async function adminCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAdminError(error);
  }
}

/** `If-Match: "7"`, `If-Match: 7` or `W/"7"` → 7; absent → undefined; anything else is a 400. */
export function ifMatchRevision(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '' || value.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(value.trim());
  if (!match) throw new GatewayError('GW_INVALID_REQUEST', { message: `If-Match: expected a config revision such as "7" (got ${value})` });
  return Number(match[1]);
}
