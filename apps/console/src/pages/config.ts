import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { diffLines } from 'diff';
import { api, errorText } from '../api';
import { lineOfPath, lineOfSyntaxError, pathOfMessage } from '../json-locate';
import type { ConfigEnvelope, ConfigMeta } from '../types';

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** What revision `revision` changed against the one before it, as a line diff of the pretty JSON. */
function RevisionDiff({ revision }: { revision: number }) {
  const [parts, setParts] = useState<ReturnType<typeof diffLines> | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    const load = async () => {
      const after = await api<ConfigEnvelope>('GET', `/admin/config/history/${revision}`);
      const before = revision > 1 ? await api<ConfigEnvelope>('GET', `/admin/config/history/${revision - 1}`).catch(() => undefined) : undefined;
      setParts(diffLines(before ? pretty(before.config) : '', pretty(after.config)));
    };
    load().catch((caught) => setError(errorText(caught)));
  }, [revision]);
  if (error) return html`<p class="error">${error}</p>`;
  if (!parts) return html`<p>Loading the diff…</p>`;
  return html`<pre class="diff" aria-label=${`Changes in revision ${revision}`} tabindex="0">${parts.map((part) =>
    part.added ? html`<ins>${part.value}</ins>` : part.removed ? html`<del>${part.value}</del>` : html`<span>${part.value.split('\n').length > 7 ? '  …\n' : part.value}</span>`,
  )}</pre>`;
}

/** The live config: its revision, the history with diffs and rollback, and an editor that puts validation errors at their line. */
export function ConfigPage() {
  const [current, setCurrent] = useState<ConfigEnvelope | undefined>(undefined);
  const [history, setHistory] = useState<ConfigMeta[]>([]);
  const [open, setOpen] = useState<number | undefined>(undefined);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<{ message: string; line?: number } | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const editor = useRef<HTMLTextAreaElement>(null);
  const load = async () => {
    const document = await api<ConfigEnvelope>('GET', '/admin/config');
    setCurrent(document);
    setText(pretty(document.config));
    setHistory((await api<{ data: ConfigMeta[] }>('GET', '/admin/config/history?limit=20')).data);
  };
  useEffect(() => void load().catch((caught) => setProblem({ message: errorText(caught) })), []);
  const goToLine = (line: number) => {
    const area = editor.current;
    if (!area) return;
    const lines = area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((sum, item) => sum + item.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    area.parentElement?.scrollTo({ top: Math.max(0, (line - 3) * 18) });
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    setNotice(undefined);
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (caught) {
      const message = errorText(caught);
      setProblem({ message: `not JSON: ${message}`, line: lineOfSyntaxError(text, message) });
      return;
    }
    try {
      const saved = await api<ConfigEnvelope>('PUT', '/admin/config', { revision: current?.revision, config });
      setNotice(`Saved as revision ${saved.revision}.`);
      await load();
    } catch (caught) {
      const message = errorText(caught);
      const path = pathOfMessage(message);
      setProblem({ message, line: path ? lineOfPath(text, path) : undefined });
    }
  };
  const rollback = async (revision: number) => {
    if (!confirm(`Make revision ${revision}'s config live again (as a new revision)?`)) return;
    setProblem(undefined);
    try {
      const saved = await api<ConfigEnvelope>('POST', '/admin/config/rollback', { revision });
      setNotice(`Rolled back to revision ${revision}: now revision ${saved.revision}.`);
      await load();
    } catch (caught) {
      setProblem({ message: errorText(caught) });
    }
  };
  const lineCount = text.split('\n').length;
  return html`
    ${current
      ? html`<p data-testid="current-revision">Current revision <strong>${current.revision}</strong>, ${new Date(current.updated_at).toLocaleString()}${current.updated_by ? ` by ${current.updated_by}` : ''}.</p>`
      : null}
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <table>
        <caption>Last ${history.length} revisions, newest first</caption>
        <thead><tr><th scope="col">Revision</th><th scope="col">When</th><th scope="col">By</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${history.map(
            (entry) => html`<tr data-revision=${entry.revision}>
              <th scope="row">${entry.revision}</th>
              <td>${new Date(entry.updated_at).toLocaleString()}</td>
              <td>${entry.updated_by ?? '—'}</td>
              <td>
                <button type="button" aria-expanded=${open === entry.revision} onClick=${() => setOpen(open === entry.revision ? undefined : entry.revision)}
                  aria-label=${`Show the changes of revision ${entry.revision}`}>Changes</button>
                ${current && entry.revision !== current.revision
                  ? html`<button type="button" onClick=${() => rollback(entry.revision)} aria-label=${`Roll back to revision ${entry.revision}`}>Roll back</button>`
                  : null}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${open !== undefined ? html`<${RevisionDiff} revision=${open} />` : null}
    </section>
    <section aria-labelledby="edit-title">
      <h2 id="edit-title">Edit</h2>
      <form onSubmit=${save}>
        <label for="config-text">Config (JSON, ${lineCount} lines)</label>
        <div class="editor">
          <pre class="gutter" aria-hidden="true">${Array.from({ length: lineCount }, (_, index) => html`<span class=${problem?.line === index + 1 ? 'bad-line' : ''}>${index + 1}</span>`)}</pre>
          <textarea id="config-text" ref=${editor} spellcheck=${false} rows=${Math.max(12, lineCount)} aria-invalid=${problem?.line !== undefined}
            aria-describedby=${problem ? 'config-problem' : undefined} value=${text}
            onInput=${(event: Event) => setText((event.target as HTMLTextAreaElement).value)}></textarea>
        </div>
        ${problem
          ? html`<p id="config-problem" class="error" role="alert" data-line=${problem.line ?? ''}>
              ${problem.line !== undefined ? html`<button type="button" class="link" onClick=${() => goToLine(problem.line!)}>Line ${problem.line}</button>${': '}` : null}${problem.message}
            </p>`
          : null}
        <div class="actions">
          <button type="submit">Validate and save</button>
          <button type="button" onClick=${() => current && setText(pretty(current.config))}>Discard edits</button>
        </div>
      </form>
    </section>
  `;
}
