import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRepoSources } from './import-rules';

// Comments cite the project's references as `docs/protocol.md §N` and `docs/style.md §N` /
// `rule N`. Every cited section must exist in the copy in docs/, or the citation points nowhere.

const root = join(__dirname, '..', '..');
const sectionsOf = (doc: string): Set<string> =>
  new Set([...readFileSync(join(root, 'docs', doc), 'utf8').matchAll(/^#{2,3} (\d+(?:\.\d+)?)[. ]/gm)].map((match) => match[1]));

/** `docs/<doc> §7.4` (a line break and a comment star may sit between the name and the §). */
export function citedSections(text: string, doc: string): string[] {
  const name = doc.replace('.', '\\.');
  return [...text.matchAll(new RegExp(`docs/${name}\\s*(?:\\*\\s*)?§(\\d+(?:\\.\\d+)?)`, 'g'))].map((match) => match[1]);
}

describe('citations of docs/', () => {
  const files = [...readRepoSources(root), ...['README.md', 'ARCHITECTURE.md', 'jest.config.js'].map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }))];

  it('finds citations (a silent scanner would pass)', () => {
    expect(files.flatMap((file) => citedSections(file.text, 'protocol.md')).length).toBeGreaterThan(50);
    expect(citedSections('see docs/protocol.md\n * §7.4 and docs/protocol.md §10 C7', 'protocol.md')).toEqual(['7.4', '10']);
    expect(citedSections('docs/protocol.md §42', 'protocol.md').every((section) => sectionsOf('protocol.md').has(section))).toBe(false);
  });

  it.each(['protocol.md', 'style.md'])('every section of docs/%s that is cited exists', (doc) => {
    const sections = sectionsOf(doc);
    const missing = files.flatMap((file) => citedSections(file.text, doc).filter((section) => !sections.has(section)).map((section) => `${file.path}: §${section}`));
    expect(missing).toEqual([]);
  });

  it('cites only the ten rules of docs/style.md §0', () => {
    const rules = files.flatMap((file) => [...file.text.matchAll(/docs\/style\.md rule (\d+)/g)].map((match) => Number(match[1])));
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.filter((rule) => rule < 1 || rule > 10)).toEqual([]);
  });
});
