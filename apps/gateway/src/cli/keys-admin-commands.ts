import { adminRequest, type AdminTarget } from './admin-client';

export type KeysAction = 'keys-create' | 'keys-list' | 'keys-show' | 'keys-revoke' | 'keys-rotate' | 'keys-usage' | 'audit';

interface KeyView {
  readonly id: string;
  readonly name: string;
  readonly prefix?: string;
  readonly source: string;
  readonly created_at?: string;
  readonly expires_at?: string;
  readonly revoked_at?: string;
  readonly last_used_at?: string;
}

const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));

/** The create body from `--name … --models a,b --rpm N …` (the API validates and names a bad field). */
export function createKeyBody(flags: Readonly<Record<string, string>>): Record<string, unknown> {
  const budget = Object.fromEntries(
    (['daily-tokens', 'monthly-tokens', 'daily-usd', 'monthly-usd'] as const)
      .filter((flag) => flags[flag] !== undefined)
      .map((flag) => [flag.replace('-', '_'), number(flags[flag])]),
  );
  const body: Record<string, unknown> = {
    name: flags.name,
    owner: flags.owner,
    models: flags.models?.split(',').map((glob) => glob.trim()).filter((glob) => glob !== ''),
    requests_per_minute: number(flags.rpm),
    tokens_per_minute: number(flags.tpm),
    expires_at: flags.expires,
    budget: Object.keys(budget).length === 0 ? undefined : budget,
  };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

/** One line per key: never the secret (the API does not have it), the prefix to recognise it by. */
function keyLine(key: KeyView): string {
  const state = key.revoked_at ? `revoked ${key.revoked_at}` : key.expires_at ? `expires ${key.expires_at}` : 'active';
  return `${key.id.padEnd(18)} ${key.name.padEnd(20)} ${(key.prefix ?? '').padEnd(9)} ${key.source.padEnd(7)} ${state}  last used ${key.last_used_at ?? 'never'}\n`;
}

/** `turnout keys …` and `turnout audit`: the admin API's key and audit endpoints (KEYS-API.md). */
export async function runKeysCommand(action: KeysAction, args: readonly string[], flags: Readonly<Record<string, string>>, target: AdminTarget, out: (text: string) => void): Promise<number> {
  const id = encodeURIComponent(args[0] ?? '');
  switch (action) {
    case 'keys-create':
    case 'keys-rotate': {
      const { json } = action === 'keys-create' ? await adminRequest(target, 'POST', '/admin/keys', createKeyBody(flags)) : await adminRequest(target, 'POST', `/admin/keys/${id}/rotate`);
      const created = json as { key: KeyView; secret: string };
      out(`key ${created.key.name} (${created.key.id})\nsecret (shown once; give it to its user): ${created.secret}\n`);
      return 0;
    }
    case 'keys-list': {
      const { json } = await adminRequest(target, 'GET', '/admin/keys');
      for (const key of (json as { data: KeyView[] }).data) out(keyLine(key));
      return 0;
    }
    case 'keys-show':
    case 'keys-revoke': {
      const { json } = action === 'keys-show' ? await adminRequest(target, 'GET', `/admin/keys/${id}`) : await adminRequest(target, 'POST', `/admin/keys/${id}/revoke`);
      out(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }
    case 'keys-usage': {
      const days = flags.days === undefined ? '' : `?days=${encodeURIComponent(flags.days)}`;
      const { json } = await adminRequest(target, 'GET', `/admin/keys/${id}/usage${days}`);
      for (const day of (json as { data: Array<Record<string, number | string>> }).data) {
        out(`${day.date}  requests ${day.requests}  input ${day.input_tokens}  output ${day.output_tokens}  cost $${day.cost_usd}\n`);
      }
      return 0;
    }
    case 'audit': {
      const limit = flags.limit === undefined ? '' : `?limit=${encodeURIComponent(flags.limit)}`;
      const { json } = await adminRequest(target, 'GET', `/admin/audit${limit}`);
      for (const entry of (json as { data: Array<{ at: string; actor: string; action: string; target: string }> }).data) {
        out(`${entry.at}  ${entry.actor.padEnd(16)} ${entry.action.padEnd(16)} ${entry.target}\n`);
      }
      return 0;
    }
  }
}
