import { ConfigError, validateConfig, type TurnoutConfig } from '@turnout/config';

/** Bumped only when the stored document's own shape changes (not the config's fields). */
export const SCHEMA_VERSION = 1;

/** What the store keeps: the config as its author wrote it (snake_case), with its revision. */
export interface ConfigDocument {
  readonly schema_version: number;
  readonly revision: number;
  readonly updated_at: string;
  readonly updated_by?: string;
  readonly config: unknown;
}

/** One frozen, validated config with its document. Swapped whole; readers take it once per request. */
export interface ConfigSnapshot {
  readonly revision: number;
  readonly document: ConfigDocument;
  readonly config: TurnoutConfig;
}

/** Validates a document read back from storage and freezes it as a snapshot; throws ConfigError. */
export function snapshotOf(document: unknown): ConfigSnapshot {
  if (typeof document !== 'object' || document === null) throw new ConfigError('stored document is not an object');
  const record = document as Partial<ConfigDocument>;
  if (record.schema_version !== SCHEMA_VERSION) {
    throw new ConfigError(`stored document has schema_version ${String(record.schema_version)}; this build reads ${SCHEMA_VERSION}`);
  }
  if (!Number.isSafeInteger(record.revision) || (record.revision as number) < 0) throw new ConfigError('stored document has no valid revision');
  const config = validateConfig(record.config);
  return Object.freeze({ revision: record.revision as number, document: Object.freeze({ ...(record as ConfigDocument) }), config });
}

/** Parses stored JSON text into a snapshot; throws ConfigError on anything unusable. */
export function parseStoredDocument(text: string): ConfigSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError('stored document is not JSON');
  }
  return snapshotOf(json);
}
