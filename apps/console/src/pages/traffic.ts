import { html } from 'htm/preact';
import type { LiveEvents } from '../live-events';

/** The last requests the gateway finished, newest first, as they arrive over the live stream. */
export function TrafficPage({ live }: { live: LiveEvents }) {
  const rows = [...live.requests].reverse();
  return html`
    <table>
      <caption>Last ${rows.length} requests, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Time</th><th scope="col">Key</th><th scope="col">Model</th><th scope="col">Route</th><th scope="col">Provider</th>
          <th scope="col">Mode</th><th scope="col">Status</th><th scope="col">TTFT</th><th scope="col">Tokens in / out</th>
        </tr>
      </thead>
      <tbody>
        ${rows.length === 0 ? html`<tr><td colspan="9">No requests yet.</td></tr>` : null}
        ${rows.map(
          (row) => html`
            <tr data-request=${row.request_id}>
              <td>${new Date(row.at).toLocaleTimeString()}</td>
              <td>${row.key ?? '—'}</td>
              <td>${row.model}</td>
              <td>${row.route ?? '—'}</td>
              <td>${row.provider ?? '—'}</td>
              <td>${row.mode ?? '—'}${row.stream ? ' · stream' : ''}</td>
              <td class=${row.status >= 400 ? 'bad' : ''}>${row.status}${row.error_code ? html`<div class="sub">${row.error_code}</div>` : null}</td>
              <td>${row.ttft_ms === null ? '—' : `${row.ttft_ms} ms`}</td>
              <td>${row.input_tokens ?? '—'} / ${row.output_tokens ?? '—'}</td>
            </tr>
          `,
        )}
      </tbody>
    </table>
  `;
}
