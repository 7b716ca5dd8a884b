import { render } from 'preact';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrf } from './api';
import { LoginPage } from './pages/login';
import { ProvidersPage } from './pages/providers';
import { RoutesPage } from './pages/routes';
import { TrafficPage } from './pages/traffic';
import { KeysPage } from './pages/keys';
import { ConfigPage } from './pages/config';
import { useLiveEvents } from './live-events';

const PAGES = [
  { id: 'providers', title: 'Providers', view: ProvidersPage },
  { id: 'routes', title: 'Routes', view: RoutesPage },
  { id: 'traffic', title: 'Live traffic', view: TrafficPage },
  { id: 'keys', title: 'Keys', view: KeysPage },
  { id: 'config', title: 'Config', view: ConfigPage },
] as const;

function currentPage(): string {
  const id = location.hash.replace(/^#\/?/, '');
  return PAGES.some((page) => page.id === id) ? id : 'providers';
}

function Console({ onLogout }: { onLogout: () => void }) {
  const [pageId, setPageId] = useState(currentPage());
  const live = useLiveEvents();
  useEffect(() => {
    const onHash = () => setPageId(currentPage());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const page = PAGES.find((candidate) => candidate.id === pageId) ?? PAGES[0];
  useEffect(() => {
    document.title = `${page.title} · Turnout console`;
    (document.getElementById('page-title') as HTMLElement | null)?.focus();
  }, [page.id]);
  const logout = async () => {
    await api('POST', '/console/api/logout').catch(() => undefined);
    setCsrf(undefined);
    onLogout();
  };
  const View = page.view;
  return html`
    <header class="top">
      <span class="brand">Turnout</span>
      <nav aria-label="Console pages">
        <ul>
          ${PAGES.map(
            (candidate) => html`<li><a href=${`#/${candidate.id}`} aria-current=${candidate.id === page.id ? 'page' : undefined}>${candidate.title}</a></li>`,
          )}
        </ul>
      </nav>
      <span class="live" role="status">${live.connected ? 'live' : 'reconnecting…'}</span>
      <button type="button" onClick=${logout}>Log out</button>
    </header>
    <main>
      <h1 id="page-title" tabindex="-1">${page.title}</h1>
      <${View} live=${live} />
    </main>
  `;
}

function App() {
  const [state, setState] = useState<'checking' | 'out' | 'in'>('checking');
  useEffect(() => {
    api<{ csrf: string }>('GET', '/console/api/session')
      .then((session) => {
        setCsrf(session.csrf);
        setState('in');
      })
      .catch(() => setState('out'));
  }, []);
  if (state === 'checking') return html`<main><p>Loading…</p></main>`;
  if (state === 'out') return html`<${LoginPage} onLogin=${() => setState('in')} />`;
  return html`<${Console} onLogout=${() => setState('out')} />`;
}

render(html`<${App} />`, document.getElementById('app')!);
