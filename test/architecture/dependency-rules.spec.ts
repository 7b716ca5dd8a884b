import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSources, extractImports, formatViolation, LIB_RULES, readRepoSources } from './import-rules';

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
    for (const lib of Object.keys(LIB_RULES)) {
      expect(files.some((file) => file.path.startsWith(`libs/${lib}/src/`))).toBe(true);
    }
    expect(files.some((file) => file.path.startsWith('apps/gateway/src/'))).toBe(true);
    // The extractor sees imports in real files (a silent extractor would pass every rule).
    const sse = files.find((file) => file.path === 'libs/sse/src/parse-sse.ts');
    expect(sse && extractImports(sse.text).map((ref) => ref.specifier)).toContain('./sse-frame-reader');
  });

  it('treats the SDK packages as devDependencies (runtime imports of them are violations)', () => {
    expect(devDependencies).toEqual(expect.arrayContaining(['@anthropic-ai/sdk', 'openai']));
  });

  it('has a row in LIB_RULES for every lib, and nothing else', () => {
    const libs = readdirSync(join(root, 'libs'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(Object.keys(LIB_RULES).sort()).toEqual(libs.sort());
  });

  it.each(Object.entries(LIB_RULES))('libs/%s/README.md names the libs it may import, and no other', (lib, rules) => {
    const readme = readFileSync(join(root, 'libs', lib, 'README.md'), 'utf8');
    const mayImport = /\*\*May import:\*\*([\s\S]*)$/.exec(readme)?.[1] ?? '';
    const named = [...mayImport.matchAll(/@turnout\/([a-z-]+)/g)].map((match) => match[1]);
    expect(named.sort()).toEqual([...rules.mayImport].sort());
    expect(/Framework-free/.test(readme)).toBe(rules.frameworkFree);
  });

  it('has a tsconfig path alias for every lib, and none to a lib that does not exist', () => {
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
    const aliases = Object.keys(tsconfig.compilerOptions.paths).map((alias) => alias.replace('@turnout/', ''));
    expect(aliases.sort()).toEqual(Object.keys(LIB_RULES).sort());
    for (const lib of aliases) expect(existsSync(join(root, 'libs', lib, 'src', 'index.ts'))).toBe(true);
  });

  it('has no violations', () => {
    expect(checkSources(files, { devDependencies }).map(formatViolation)).toEqual([]);
  });
});
