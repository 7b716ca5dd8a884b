import type { StoreLogger } from './config-store';

export interface Rejection {
  /** The stored document's revision, when it can be read at all. */
  readonly revision: number | undefined;
  readonly message: string;
}

/**
 * Stored documents that did not validate. Each distinct document is counted and logged once,
 * however often the poll reads it again; `pending` is the one Redis holds now, if any, so
 * readiness can say that the config in Redis is not the one in force.
 */
export class RejectedDocuments {
  private count = 0;
  private lastText: string | undefined;
  private pendingRejection: Rejection | undefined;

  constructor(private readonly logger: StoreLogger) {}

  record(text: string, message: string, keptRevision: number | undefined): void {
    const rejection = { revision: revisionIn(text), message };
    this.pendingRejection = rejection;
    if (text === this.lastText) return;
    this.lastText = text;
    this.count++;
    const kept = keptRevision === undefined ? 'no config in force yet' : `keeping revision ${keptRevision}`;
    this.logger.warn(`config store: stored revision ${rejection.revision ?? '?'} rejected, ${kept}: ${message}`);
  }

  /** Redis now holds a document that validated (or none). */
  clear(): void {
    this.pendingRejection = undefined;
  }

  get pending(): Rejection | undefined {
    return this.pendingRejection;
  }

  get total(): number {
    return this.count;
  }
}

/** The revision of a document that may not even be JSON: best effort, for messages only. */
function revisionIn(text: string): number | undefined {
  try {
    const revision: unknown = (JSON.parse(text) as { revision?: unknown } | null)?.revision;
    return typeof revision === 'number' && Number.isSafeInteger(revision) ? revision : undefined;
  } catch {
    return undefined;
  }
}
