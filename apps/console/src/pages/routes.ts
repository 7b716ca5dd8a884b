import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';

interface Explanation {
  route_index: number;
  route_name: string;
  route: string;
  replica: number;
  replica_why: string;
  provider: string;
  kind: string;
  mode: string;
  mode_reason: string;
  upstream_model: string;
  window_check: string;
  why: string;
}

type RawRoute = Record<string, unknown>;

function describeMatch(route: RawRoute): string {
  if (typeof route.match === 'string') return route.match;
  if (Array.isArray(route.models)) return route.models.join(', ');
  if (typeof route.model_regex === 'string') return `/${route.model_regex}/`;
  return '—';
}

function describeTargets(route: RawRoute): string {
  if (Array.isArray(route.targets)) return route.targets.map((target) => (target as RawRoute).provider).join(', ');
  return String(route.provider ?? '—');
}

/** The routes in the order they are tried (first match wins), and a box that asks the gateway where a request would go. */
export function RoutesPage() {
  const [routes, setRoutes] = useState<RawRoute[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [model, setModel] = useState('');
  const [thinking, setThinking] = useState(false);
  const [extra, setExtra] = useState('');
  const [answer, setAnswer] = useState<Explanation | undefined>(undefined);
  const [explainError, setExplainError] = useState<string | undefined>(undefined);
  useEffect(() => {
    api<{ data: RawRoute[] }>('GET', '/admin/routes')
      .then((body) => setRoutes(body.data))
      .catch((caught) => setError(errorText(caught)));
  }, []);
  const explain = async (event: Event) => {
    event.preventDefault();
    setExplainError(undefined);
    setAnswer(undefined);
    try {
      const more = extra.trim() === '' ? {} : (JSON.parse(extra) as object);
      const body = { ...more, model, ...(thinking ? { thinking: { type: 'enabled', budget_tokens: 1024 } } : {}) };
      setAnswer(await api<Explanation>('POST', '/admin/routes/explain', body));
    } catch (caught) {
      setExplainError(errorText(caught));
    }
  };
  return html`
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${routes
      ? html`<table>
          <caption>Routes, tried in this order</caption>
          <thead><tr><th scope="col">#</th><th scope="col">Name</th><th scope="col">Matches</th><th scope="col">Conditions</th><th scope="col">Targets</th><th scope="col">Upstream model</th><th scope="col">Fallbacks</th></tr></thead>
          <tbody>
            ${routes.map(
              (route, index) => html`<tr>
                <td>${index}</td>
                <td>${String(route.name ?? '—')}</td>
                <td><code>${describeMatch(route)}</code></td>
                <td>${route.when ? html`<code>${JSON.stringify(route.when)}</code>` : '—'}</td>
                <td>${describeTargets(route)}</td>
                <td>${String(route.model ?? 'as sent')}</td>
                <td>${Array.isArray(route.fallbacks) ? route.fallbacks.join(', ') : '—'}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
      : null}
    <section aria-labelledby="explain-title">
      <h2 id="explain-title">Try a request</h2>
      <form onSubmit=${explain}>
        <label for="explain-model">Model</label>
        <input id="explain-model" required value=${model} onInput=${(event: Event) => setModel((event.target as HTMLInputElement).value)} />
        <label class="inline"><input type="checkbox" checked=${thinking} onChange=${(event: Event) => setThinking((event.target as HTMLInputElement).checked)} /> with extended thinking</label>
        <label for="explain-extra">More of the request body (JSON, optional)</label>
        <textarea id="explain-extra" rows="3" value=${extra} onInput=${(event: Event) => setExtra((event.target as HTMLTextAreaElement).value)}></textarea>
        <button type="submit">Explain</button>
      </form>
      ${explainError ? html`<p class="error" role="alert">${explainError}</p>` : null}
      ${answer
        ? html`<dl class="explain" aria-live="polite" data-testid="explanation">
            <dt>Rule</dt><dd data-field="rule">route ${answer.route_index} (${answer.route_name}, <code>${answer.route}</code>)</dd>
            <dt>Replica</dt><dd data-field="replica">${answer.replica}: ${answer.replica_why}</dd>
            <dt>Provider</dt><dd data-field="provider">${answer.provider} (${answer.kind}), ${answer.mode}: ${answer.mode_reason}</dd>
            <dt>Upstream model</dt><dd>${answer.upstream_model}</dd>
            <dt>Context window</dt><dd>${answer.window_check}</dd>
            <dt>Why</dt><dd data-field="why">${answer.why}</dd>
          </dl>`
        : null}
    </section>
  `;
}
