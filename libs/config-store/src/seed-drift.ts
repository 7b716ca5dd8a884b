import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { readConfigDocument } from '@turnout/config';
import type { ConfigSnapshot } from './config-document';

/** The first line `turnout config export` / `pull` writes. */
const REVISION_HEADER = /^# turnout config revision: (\d+)\s*$/m;

/**
 * With Redis as the source, the config file only seeds an empty Redis. When the file says
 * something else than the revision in force, an operator who edited the file expects it to
 * apply, so this says, once at start, that it did not, which revisions differ, and the two
 * commands that reconcile them. Undefined when they agree, or the file cannot be read (that
 * is reported where the file is needed).
 */
export function seedDriftWarning(seedFile: string, stored: ConfigSnapshot): string | undefined {
  let text: string;
  let document: unknown;
  try {
    text = readFileSync(seedFile, 'utf8');
    document = readConfigDocument(seedFile);
  } catch {
    return undefined;
  }
  if (isDeepStrictEqual(document, stored.document.config)) return undefined;
  const header = REVISION_HEADER.exec(text)?.[1];
  const fileRevision = header === undefined ? 'no revision header: never exported' : `exported from revision ${header}`;
  return (
    `config store: ${seedFile} (${fileRevision}) differs from redis revision ${stored.revision}, which is in force: ` +
    `with REDIS_URL, redis is the source and the file only seeds an empty redis. ` +
    `To make the file live: turnout config push ${seedFile}; to write redis's config to the file: turnout config pull > ${seedFile}`
  );
}
