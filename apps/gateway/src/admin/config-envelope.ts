import { GatewayError } from '@turnout/errors';

/** What PUT /admin/config writes: the config, and the revision it was based on (if the writer said). */
export interface ConfigWrite {
  readonly config: unknown;
  readonly expectedRevision: number | undefined;
}

/**
 * PUT /admin/config takes what GET returns: the envelope `{schema_version, revision,
 * updated_at, updated_by, config}`, whose `revision` is the one the edit was based on
 * (optimistic concurrency: 409 when it is no longer current), or a bare config as before.
 * An `If-Match` header and an envelope `revision` that disagree are a 409 too: the writer is
 * confused about what it read.
 */
export function configWrite(body: unknown, ifMatch: number | undefined): ConfigWrite {
  if (!isEnvelope(body)) return { config: body, expectedRevision: ifMatch };
  const revision = body.revision;
  if (revision !== undefined && (!Number.isSafeInteger(revision) || (revision as number) < 0)) {
    throw new GatewayError('GW_INVALID_REQUEST', { message: 'revision: expected the revision of the document this edit is based on (a whole number)' });
  }
  if (ifMatch !== undefined && revision !== undefined && ifMatch !== revision) {
    throw new GatewayError('GW_CONFIG_CONFLICT', { message: `If-Match names revision ${ifMatch} but the document's revision is ${String(revision)}` });
  }
  return { config: body.config, expectedRevision: ifMatch ?? (revision as number | undefined) };
}

/** The GET shape: a `config` mapping next to envelope fields, and no config fields at the top. */
function isEnvelope(body: unknown): body is { config: unknown; revision?: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  return typeof record.config === 'object' && record.config !== null && !('providers' in record) && !('routes' in record);
}
