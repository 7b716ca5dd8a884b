import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import type { KeyView } from '../types';

/** Gateway keys through the key lifecycle API (/admin/keys, /work/notes/KEYS-API.md): list, create (secret shown once), revoke. */
export function KeysPage() {
  const [keys, setKeys] = useState<KeyView[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  const [models, setModels] = useState('');
  const [rpm, setRpm] = useState('');
  const [secret, setSecret] = useState<{ name: string; secret: string } | undefined>(undefined);
  const load = () =>
    api<{ data: KeyView[] }>('GET', '/admin/keys')
      .then((body) => setKeys(body.data))
      .catch((caught) => setError(errorText(caught)));
  useEffect(() => void load(), []);
  const create = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const body: Record<string, unknown> = { name };
      if (owner.trim() !== '') body.owner = owner.trim();
      const globs = models.split(',').map((glob) => glob.trim()).filter((glob) => glob !== '');
      if (globs.length > 0) body.models = globs;
      if (rpm.trim() !== '') body.requests_per_minute = Number(rpm);
      const created = await api<{ key: KeyView; secret: string }>('POST', '/admin/keys', body);
      setSecret({ name: created.key.name, secret: created.secret });
      setName('');
      setOwner('');
      setModels('');
      setRpm('');
      await load();
    } catch (caught) {
      setError(errorText(caught));
    }
  };
  const revoke = async (key: KeyView) => {
    if (!confirm(`Revoke key "${key.name}"? Requests with it are refused from now on.`)) return;
    setError(undefined);
    try {
      await api('POST', `/admin/keys/${encodeURIComponent(key.id)}/revoke`);
      await load();
    } catch (caught) {
      setError(errorText(caught));
    }
  };
  return html`
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${secret
      ? html`<div class="secret" role="alert">
          <p>Key <strong>${secret.name}</strong> created. Copy its secret now: it is shown only this once.</p>
          <label for="new-secret">Secret</label>
          <input id="new-secret" readonly value=${secret.secret} data-testid="new-secret" />
          <button type="button" onClick=${() => setSecret(undefined)}>I have copied it</button>
        </div>`
      : null}
    ${keys
      ? html`<table>
          <caption>Keys: ${keys.length}</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Owner</th><th scope="col">Prefix</th><th scope="col">Source</th><th scope="col">Models</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col">Action</th></tr></thead>
          <tbody>
            ${keys.map(
              (key) => html`<tr data-key=${key.name}>
                <th scope="row">${key.name}</th>
                <td>${key.owner ?? '—'}</td>
                <td><code>${key.prefix}</code></td>
                <td>${key.source}</td>
                <td>${key.models?.join(', ') ?? 'all'}</td>
                <td>${key.created_at ? new Date(key.created_at).toLocaleString() : '—'}</td>
                <td>${key.last_used_at ? new Date(key.last_used_at).toLocaleString() : 'never'}</td>
                <td data-field="state">${key.revoked_at ? 'revoked' : key.expires_at && Date.parse(key.expires_at) < Date.now() ? 'expired' : 'active'}</td>
                <td>
                  ${key.source === 'api' && !key.revoked_at
                    ? html`<button type="button" onClick=${() => revoke(key)} aria-label=${`Revoke key ${key.name}`}>Revoke</button>`
                    : key.source === 'config' ? html`<span class="sub">in the config file</span>` : '—'}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>`
      : null}
    <section aria-labelledby="create-key-title">
      <h2 id="create-key-title">Create a key</h2>
      <form onSubmit=${create}>
        <label for="key-name">Name</label>
        <input id="key-name" required maxlength="100" value=${name} onInput=${(event: Event) => setName((event.target as HTMLInputElement).value)} />
        <label for="key-owner">Owner (optional)</label>
        <input id="key-owner" value=${owner} onInput=${(event: Event) => setOwner((event.target as HTMLInputElement).value)} />
        <label for="key-models">Models (comma-separated globs, optional)</label>
        <input id="key-models" value=${models} onInput=${(event: Event) => setModels((event.target as HTMLInputElement).value)} />
        <label for="key-rpm">Requests per minute (optional)</label>
        <input id="key-rpm" type="number" min="1" step="1" value=${rpm} onInput=${(event: Event) => setRpm((event.target as HTMLInputElement).value)} />
        <button type="submit">Create key</button>
      </form>
    </section>
  `;
}
