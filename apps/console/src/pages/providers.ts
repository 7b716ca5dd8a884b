import { html } from 'htm/preact';
import type { LiveEvents } from '../live-events';
import type { ProviderRow } from '../types';

function lastError(row: ProviderRow): string {
  const parts: string[] = [];
  if (row.last_failure) parts.push(`${row.last_failure.error_code ?? 'HTTP ' + row.last_failure.status} at ${new Date(row.last_failure.at).toLocaleTimeString()}`);
  if (row.error) parts.push(`probe: ${row.error}`);
  return parts.length === 0 ? '—' : parts.join('; ');
}

/** Each upstream: what it is, how Turnout talks to it, and its live guard state (pushed over the live stream). */
export function ProvidersPage({ live }: { live: LiveEvents }) {
  if (live.providers === undefined) return html`<p role="status">Waiting for the gateway…</p>`;
  return html`
    <table>
      <caption>Providers: ${live.providers.length}; updated as the gateway reports changes</caption>
      <thead>
        <tr>
          <th scope="col">Provider</th><th scope="col">Kind</th><th scope="col">Mode</th><th scope="col">Health</th>
          <th scope="col">Circuit</th><th scope="col">In flight</th><th scope="col">Queue</th><th scope="col">Context window</th><th scope="col">Last error</th>
        </tr>
      </thead>
      <tbody>
        ${live.providers.map(
          (row) => html`
            <tr data-provider=${row.id}>
              <th scope="row">${row.id}<div class="sub">${row.base_url}</div></th>
              <td>${row.kind}</td>
              <td title=${row.mode_reason}>${row.mode}<div class="sub">${row.mode_reason}</div></td>
              <td><span class=${`badge ${row.health}`} data-field="health">${row.health}</span></td>
              <td>
                <span class=${`badge circuit-${row.circuit}`} data-field="circuit">${row.circuit}</span>
                ${row.circuit_open_until ? html`<div class="sub">until ${new Date(row.circuit_open_until).toLocaleTimeString()}</div>` : null}
              </td>
              <td data-field="in-flight">${row.in_flight}${row.max_in_flight === null ? '' : ` / ${row.max_in_flight}`}</td>
              <td data-field="queued">${row.queued} / ${row.max_queue}</td>
              <td>${row.context_window === null ? 'unknown' : row.context_window.toLocaleString('en')}</td>
              <td data-field="last-error">${lastError(row)}</td>
            </tr>
          `,
        )}
      </tbody>
    </table>
  `;
}
