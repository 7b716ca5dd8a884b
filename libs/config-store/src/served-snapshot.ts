import type { ConfigSnapshot } from './config-document';

/** What a replica serves, and where it came from. Replaced whole, never edited. */
export type ServedSnapshot =
  /** A document read from (or written to) Redis, with its stored text to tell equal revisions apart. */
  | { readonly source: 'redis'; readonly snapshot: ConfigSnapshot; readonly storedText: string }
  /** The config file, standing in while Redis cannot give a valid document. */
  | { readonly source: 'file'; readonly snapshot: ConfigSnapshot };

export type StoredDocumentVerdict = 'apply' | 'same' | 'redis-behind';

/**
 * What to do with a valid document read from Redis. Newer applies; older means Redis lost
 * revisions this replica has (a restart or failover), so it is put back rather than followed
 * backwards. The same revision with different text only happens after two replicas raced to
 * restore: Redis's copy wins, so every replica converges on the one Redis holds.
 */
export function judgeStoredDocument(served: ServedSnapshot | undefined, stored: { readonly revision: number; readonly text: string }): StoredDocumentVerdict {
  if (served === undefined || served.source === 'file') return 'apply';
  if (stored.revision > served.snapshot.revision) return 'apply';
  if (stored.revision < served.snapshot.revision) return 'redis-behind';
  return stored.text === served.storedText ? 'same' : 'apply';
}
