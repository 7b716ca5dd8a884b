import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { adminRequest, type AdminTarget } from './admin-client';
import { runKeysCommand, type KeysAction } from './keys-admin-commands';

export type AdminAction = 'export' | 'import' | 'history' | 'rollback' | 'explain' | KeysAction;

export interface AdminCommand {
  readonly name: 'admin';
  readonly action: AdminAction;
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string>>;
}

/** The first line `config export` writes; `config import` reads it back as the If-Match revision. */
const REVISION_HEADER = /^# turnout config revision: (\d+)\s*$/m;

interface ConfigDocumentView {
  readonly revision: number;
  readonly updated_at?: string;
  readonly updated_by?: string;
  readonly config: unknown;
}

/**
 * `turnout config …` and `turnout routes explain`: thin wrappers over the admin API. Export
 * writes YAML headed by the revision it was read at; import sends that revision as If-Match, so
 * an edit made on a stale export is refused (409) instead of silently undoing someone's change.
 */
export async function runAdminCommand(command: AdminCommand, env: Readonly<Record<string, string | undefined>>, out: (text: string) => void): Promise<number> {
  const target: AdminTarget = {
    url: command.flags.url ?? env.TURNOUT_URL ?? 'http://127.0.0.1:4000',
    token: command.flags.token ?? env.TURNOUT_ADMIN_TOKEN,
  };
  switch (command.action) {
    case 'keys-create':
    case 'keys-list':
    case 'keys-show':
    case 'keys-revoke':
    case 'keys-rotate':
    case 'keys-usage':
    case 'audit':
      return runKeysCommand(command.action, command.args, command.flags, target, out);
    case 'export': {
      const { json } = await adminRequest(target, 'GET', '/admin/config');
      const document = json as ConfigDocumentView;
      const yaml = `# turnout config revision: ${document.revision}\n${stringify(document.config)}`;
      if (command.flags.out) writeFileSync(command.flags.out, yaml);
      else out(yaml);
      return 0;
    }
    case 'import': {
      const file = command.args[0] as string;
      const text = readFileSync(file, 'utf8');
      const config: unknown = parse(text);
      const revision = command.flags['if-match'] ?? REVISION_HEADER.exec(text)?.[1];
      const headers: Record<string, string> = revision !== undefined && command.flags.force === undefined ? { 'if-match': revision } : {};
      const { json } = await adminRequest(target, 'PUT', '/admin/config', config, headers);
      out(`imported ${file}: now revision ${(json as ConfigDocumentView).revision}\n`);
      return 0;
    }
    case 'history': {
      const limit = command.flags.limit ?? '20';
      const { json } = await adminRequest(target, 'GET', `/admin/config/history?limit=${encodeURIComponent(limit)}`);
      for (const entry of (json as { data: ConfigDocumentView[] }).data) {
        out(`${String(entry.revision).padStart(6)}  ${entry.updated_at ?? ''}  ${entry.updated_by ?? ''}\n`);
      }
      return 0;
    }
    case 'rollback': {
      const revision = Number(command.args[0]);
      const { json } = await adminRequest(target, 'POST', '/admin/config/rollback', { revision });
      out(`rolled back to the content of revision ${revision}: now revision ${(json as ConfigDocumentView).revision}\n`);
      return 0;
    }
    case 'explain': {
      const body: Record<string, unknown> = { model: command.args[0] };
      const { json } = await adminRequest(target, 'POST', '/admin/routes/explain', body);
      out(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }
  }
}
