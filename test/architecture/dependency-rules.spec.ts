import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSources, extractImports, formatViolation, readRepoSources } from './import-rules';

// docs/style.md §2 dependency rules over the real tree: every .ts under libs/*/src and apps/*/src.
// The rules themselves are proven able to fail in import-rules.spec.ts.

const root = join(__dirname, '..', '..');
const devDependencies = Object.keys(
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }).devDependencies ?? {},
);

describe('dependency rules (docs/style.md §2)', () => {
  const files = readRepoSources(root);

  it('scans a real tree, not an empty one', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const lib of ['errors', 'protocol', 'sse', 'translate', 'providers']) {
      expect(files.some((file) => file.path.startsWith(`libs/${lib}/src/`))).toBe(true);
    }
    expect(files.some((file) => file.path.startsWith('apps/gateway/src/'))).toBe(true);
    // The extractor sees imports in real files (a silent extractor would pass every rule).
    const sse = files.find((file) => file.path === 'libs/sse/src/parse-sse.ts');
    expect(sse && extractImports(sse.text).map((ref) => ref.specifier)).toContain('eventsource-parser');
  });

  it('treats the SDK packages as devDependencies (runtime imports of them are violations)', () => {
    expect(devDependencies).toEqual(expect.arrayContaining(['@anthropic-ai/sdk', 'openai']));
  });

  it('has no violations', () => {
    expect(checkSources(files, { devDependencies }).map(formatViolation)).toEqual([]);
  });
});
