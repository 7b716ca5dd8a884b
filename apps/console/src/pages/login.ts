import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, errorText, setCsrf } from '../api';

/** The admin token is sent once; the gateway answers with an HttpOnly session cookie and a CSRF token kept in memory. */
export function LoginPage({ onLogin }: { onLogin: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await api<{ csrf: string }>('POST', '/console/api/login', { token });
      setCsrf(session.csrf);
      setToken('');
      onLogin();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <main class="login">
      <h1>Turnout console</h1>
      <form onSubmit=${submit}>
        <label for="admin-token">Admin token</label>
        <input id="admin-token" name="token" type="password" autocomplete="current-password" required value=${token}
          onInput=${(event: Event) => setToken((event.target as HTMLInputElement).value)} />
        <button type="submit" disabled=${busy}>Log in</button>
        ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      </form>
      <p class="hint">The token is <code>TURNOUT_ADMIN_TOKEN</code>. It is sent once; the session lasts until the browser closes.</p>
    </main>
  `;
}
