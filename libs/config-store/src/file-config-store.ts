import { ConfigError, readConfigDocument } from '@turnout/config';
import { SCHEMA_VERSION, snapshotOf, type ConfigDocument, type ConfigSnapshot } from './config-document';
import type { ConfigReadiness, ConfigStore, ConfigStoreStats } from './config-store';
import { ConfigStoreError } from './config-store-error';

/**
 * The config file alone (no REDIS_URL): revision 1, read once at start. Writes are refused
 * rather than kept in memory: a change that vanishes at the next restart, and that other
 * replicas never see, would be worse than a clear "use Redis for live changes".
 */
export class FileConfigStore implements ConfigStore {
  private snapshot: ConfigSnapshot | undefined;

  constructor(private readonly path: string) {}

  async start(): Promise<void> {
    const config = readConfigDocument(this.path);
    try {
      this.snapshot = snapshotOf({ schema_version: SCHEMA_VERSION, revision: 1, updated_at: new Date().toISOString(), updated_by: `file:${this.path}`, config });
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(`${this.path}: ${error.message}`);
      throw error;
    }
  }

  current(): ConfigSnapshot {
    if (!this.snapshot) throw new ConfigStoreError('unavailable', 'the config file has not been loaded');
    return this.snapshot;
  }

  async replace(_config: unknown, _expectedRevision: number | undefined): Promise<ConfigSnapshot> {
    throw new ConfigStoreError('read_only', `the config is read from ${this.path}; set REDIS_URL to change it live`);
  }

  async rollback(_revision: number): Promise<ConfigSnapshot> {
    throw new ConfigStoreError('read_only', `the config is read from ${this.path}; set REDIS_URL to keep revisions`);
  }

  async history(): Promise<ConfigDocument[]> {
    return [this.current().document];
  }

  readiness(): ConfigReadiness {
    return this.snapshot
      ? { ready: true, source: 'file', detail: `serving ${this.path}` }
      : { ready: false, source: 'file', detail: `${this.path} not loaded` };
  }

  onChange(): () => void {
    return () => undefined;
  }

  stats(): ConfigStoreStats {
    return { applied: 0, rejected: 0 };
  }

  async close(): Promise<void> {}
}
