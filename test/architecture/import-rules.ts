import { readdirSync, readFileSync } from 'node:fs';
import { posix, relative, sep, join } from 'node:path';

/**
 * The dependency rules of docs/style.md §2, checked without a compiler: TypeScript 7 ships no JS
 * compiler API (so no dependency-cruiser), and a small scanner is enough for import syntax.
 * The scanner masks comments, strings, templates and regex literals first, so text that only
 * looks like an import (in a comment, a string, a regex) is never reported, and an import is
 * never hidden by one.
 */

export type ImportKind = 'import' | 'side-effect' | 'export-from' | 'require' | 'dynamic';

export interface ImportRef {
  readonly specifier: string;
  readonly kind: ImportKind;
  /** Erased at compile time: `import type`, `export type`, all-`type` specifiers, `typeof import()`. */
  readonly typeOnly: boolean;
  readonly line: number;
}

// ---------------------------------------------------------------------------------------------
// Masking

/** Source with comments blanked and every string/template/regex literal replaced; literals kept aside. */
interface Masked {
  readonly code: string;
  readonly literals: readonly string[];
}

const LITERAL = (index: number): string => `'#${index}#'`;
const LITERAL_PATTERN = String.raw`'#(\d+)#'`;

/** After these characters a `/` starts a regex literal, not a division. */
const REGEX_AFTER_CHAR = new Set([...'(,=:[!&|?{};+-*%<>~^']);
const REGEX_AFTER_WORD = /\b(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await|instanceof)$/;

function mask(source: string): Masked {
  const literals: string[] = [];
  let out = '';
  let i = 0;
  const newlinesIn = (text: string): string => text.replace(/[^\n]/g, '');
  // The tail is enough to see the previous token; trimming all of `out` each time would be quadratic.
  const lastSignificant = (): string => out.slice(-200).trimEnd();

  while (i < source.length) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += newlinesIn(source.slice(i, stop)).replace(/^|$/g, ' ');
      i = stop;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== ch && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      literals.push(source.slice(i + 1, j));
      out += LITERAL(literals.length - 1);
      i = j + 1;
    } else if (ch === '`') {
      // Substitutions are skipped whole (brace depth); nested templates inside them are rare enough.
      let j = i + 1;
      let depth = 0;
      let plain = true;
      while (j < source.length && !(source[j] === '`' && depth === 0)) {
        if (source[j] === '\\') j += 1;
        else if (source[j] === '$' && source[j + 1] === '{') (depth += 1), (plain = false), (j += 1);
        else if (source[j] === '}' && depth > 0) depth -= 1;
        j += 1;
      }
      const body = source.slice(i + 1, j);
      literals.push(plain ? body : '');
      out += LITERAL(literals.length - 1) + newlinesIn(body);
      i = j + 1;
    } else if (ch === '/' && isRegexStart(lastSignificant())) {
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== '\n' && !(source[j] === '/' && !inClass)) {
        if (source[j] === '\\') j += 1;
        else if (source[j] === '[') inClass = true;
        else if (source[j] === ']') inClass = false;
        j += 1;
      }
      out += ' '.repeat(j + 1 - i);
      i = j + 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return { code: out, literals };
}

function isRegexStart(before: string): boolean {
  if (before === '') return true;
  return REGEX_AFTER_CHAR.has(before[before.length - 1]) || REGEX_AFTER_WORD.test(before);
}

// ---------------------------------------------------------------------------------------------
// Extraction

const NOT_MEMBER = String.raw`(?<![\w$.])`;
const CLAUSE = String.raw`([^'"\x60;()]*?)`;
const PATTERNS: ReadonlyArray<{ kind: ImportKind; regex: RegExp }> = [
  { kind: 'import', regex: new RegExp(`${NOT_MEMBER}import\\s+(type\\s+)?${CLAUSE}\\s*from\\s*${LITERAL_PATTERN}`, 'g') },
  { kind: 'side-effect', regex: new RegExp(`${NOT_MEMBER}import\\s*${LITERAL_PATTERN}`, 'g') },
  { kind: 'export-from', regex: new RegExp(`${NOT_MEMBER}export\\s+(type\\s+)?${CLAUSE}\\s*from\\s*${LITERAL_PATTERN}`, 'g') },
  { kind: 'require', regex: new RegExp(`${NOT_MEMBER}require\\s*\\(\\s*${LITERAL_PATTERN}\\s*\\)`, 'g') },
  { kind: 'dynamic', regex: new RegExp(`${NOT_MEMBER}import\\s*\\(\\s*${LITERAL_PATTERN}\\s*\\)`, 'g') },
];

/** Every module reference in a TypeScript source, in source order. */
export function extractImports(source: string): ImportRef[] {
  const { code, literals } = mask(source);
  const refs: Array<ImportRef & { index: number }> = [];
  for (const { kind, regex } of PATTERNS) {
    for (const match of code.matchAll(regex)) {
      const literalIndex = Number(match[match.length - 1]);
      const index = match.index ?? 0;
      refs.push({
        specifier: literals[literalIndex],
        kind,
        typeOnly: isTypeOnly(kind, match, code, index),
        line: code.slice(0, index).split('\n').length,
        index,
      });
    }
  }
  return refs.sort((a, b) => a.index - b.index).map(({ index: _index, ...ref }) => ref);
}

function isTypeOnly(kind: ImportKind, match: RegExpMatchArray, code: string, index: number): boolean {
  if (kind === 'import' || kind === 'export-from') {
    if (match[1]) return true; // `import type …` / `export type …`
    // `{ type A, type B }` with nothing else is erased too (tsconfig has no verbatimModuleSyntax,
    // and swc drops it likewise); a default or namespace import is kept, whatever its use.
    const clause = match[2].trim();
    const braces = /^\{([^}]*)\}$/.exec(clause);
    if (!braces) return false;
    const names = braces[1].split(',').map((name) => name.trim()).filter(Boolean);
    return names.length > 0 && names.every((name) => /^type\s/.test(name));
  }
  if (kind === 'dynamic') {
    // `typeof import('x')` and `import('x').Name` are type positions; `import('x').then(…)`,
    // `await import('x')` are not.
    if (/\btypeof\s*$/.test(code.slice(0, index))) return true;
    const after = /^\s*\.\s*([A-Za-z_$][\w$]*)/.exec(code.slice(index + match[0].length));
    return after !== null && !['then', 'catch', 'finally'].includes(after[1]);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Rules

export interface SourceFile {
  /** Repo-relative POSIX path, e.g. `libs/sse/src/parse-sse.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface RuleContext {
  /** package.json devDependencies: not installed in production, so never a runtime import of src. */
  readonly devDependencies: readonly string[];
}

export interface Violation {
  readonly rule: string;
  readonly path: string;
  readonly line: number;
  readonly specifier: string;
  readonly reason: string;
}

interface FileFacts {
  readonly path: string;
  /** `libs` or `apps`. */
  readonly area: string;
  /** The lib or app name: `sse`, `gateway`. */
  readonly project: string;
  readonly isSpec: boolean;
}

export interface ImportRule {
  readonly id: string;
  /** A reason when `ref` in `file` breaks the rule, else undefined. */
  readonly check: (ref: ImportRef, file: FileFacts, context: RuleContext) => string | undefined;
}

/**
 * The dependency rules, one row per lib: which @turnout libs it may import, and whether it must
 * stay framework-free (docs/style.md rule 1: no Nest, no HTTP server or client, no Redis, no
 * metrics client, no logger; its I/O is done by whoever calls it). Every directory under libs/
 * needs a row (a new lib without one fails the suite), and an `@turnout/<name>` import must
 * name a lib that has one. Libs never import apps (rule `no-apps-from-libs`); the folders of
 * an app import each other without cycles (rule `no-app-folder-cycle`).
 */
export const LIB_RULES: Readonly<Record<string, { readonly mayImport: readonly string[]; readonly frameworkFree: boolean }>> = {
  protocol: { mayImport: [], frameworkFree: true },
  errors: { mayImport: [], frameworkFree: true },
  glob: { mayImport: [], frameworkFree: true },
  sse: { mayImport: ['protocol', 'errors'], frameworkFree: true },
  translate: { mayImport: ['protocol', 'errors', 'sse'], frameworkFree: true },
  passthrough: { mayImport: ['protocol', 'errors', 'glob', 'sse', 'translate'], frameworkFree: true },
  hygiene: { mayImport: ['protocol', 'errors'], frameworkFree: true },
  providers: { mayImport: ['protocol', 'errors', 'sse', 'translate'], frameworkFree: false },
  config: { mayImport: ['protocol', 'errors', 'providers'], frameworkFree: true },
  routing: { mayImport: ['protocol', 'errors', 'glob', 'providers', 'config', 'config-store'], frameworkFree: false },
  resilience: { mayImport: ['errors', 'config'], frameworkFree: true },
  access: { mayImport: ['errors', 'config', 'config-store', 'routing'], frameworkFree: false },
  observability: { mayImport: ['protocol', 'errors', 'translate', 'config', 'routing'], frameworkFree: false },
  'config-store': { mayImport: ['errors', 'config'], frameworkFree: false },
  testing: { mayImport: ['protocol', 'errors', 'sse'], frameworkFree: false },
};

const FRAMEWORK_PACKAGES = [/^@nestjs\//, /^undici$/, /^ioredis$/, /^prom-client$/, /^fastify$/, /^@fastify\//, /^pino$/, /^pino-/];

const turnoutLib = (specifier: string): string | undefined => /^@turnout\/([a-z-]+)(?:\/|$)/.exec(specifier)?.[1];

export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function resolveRelative(file: FileFacts, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(file.path), specifier));
}

export const IMPORT_RULES: readonly ImportRule[] = [
  {
    id: 'pure-lib-no-framework',
    check: (ref, file) =>
      file.area === 'libs' && LIB_RULES[file.project]?.frameworkFree === true && FRAMEWORK_PACKAGES.some((p) => p.test(ref.specifier))
        ? `libs/${file.project} must not depend on frameworks or I/O clients (${ref.specifier})`
        : undefined,
  },
  {
    id: 'layering',
    check: (ref, file) => {
      const target = turnoutLib(ref.specifier);
      if (file.area !== 'libs' || target === undefined || target === file.project) return undefined;
      const allowed = LIB_RULES[file.project]?.mayImport;
      if (allowed === undefined || allowed.includes(target)) return undefined; // a lib without a row: rule `lib-has-rules`
      if (file.isSpec && target === 'testing') return undefined; // specs may use the test helpers
      return `libs/${file.project} may import only ${allowed.length ? allowed.map((l) => `@turnout/${l}`).join(', ') : 'no @turnout lib'}`;
    },
  },
  {
    id: 'lib-has-rules',
    check: (ref, file) =>
      file.area === 'libs' && LIB_RULES[file.project] === undefined && turnoutLib(ref.specifier) !== undefined
        ? `libs/${file.project} has no row in LIB_RULES (test/architecture/import-rules.ts): say what it may import`
        : undefined,
  },
  {
    id: 'known-lib',
    check: (ref) => {
      const target = turnoutLib(ref.specifier);
      return target !== undefined && LIB_RULES[target] === undefined ? `@turnout/${target} is not a lib (no row in LIB_RULES)` : undefined;
    },
  },
  {
    id: 'no-apps-from-libs',
    check: (ref, file) => {
      if (file.area !== 'libs') return undefined;
      const resolved = resolveRelative(file, ref.specifier) ?? ref.specifier;
      const intoApps = resolved.startsWith('apps/') || (resolved.startsWith('/') && resolved.includes('/apps/'));
      return intoApps ? 'a lib must not import from apps/ (only apps compose libs)' : undefined;
    },
  },
  {
    // A lib reaches other libs only through their public index (the alias). An app may reach
    // outside the tree (apps/gateway/src/main.ts reads the root package.json relative to dist/),
    // but never into libs/ or another app by path.
    id: 'no-relative-escape',
    check: (ref, file) => {
      const resolved = resolveRelative(file, ref.specifier);
      if (resolved === undefined || resolved.startsWith(`${file.area}/${file.project}/`)) return undefined;
      if (file.area === 'apps' && !/^(?:libs|apps)\//.test(resolved)) return undefined;
      return `relative import leaves ${file.area}/${file.project}; use a @turnout/<lib> alias`;
    },
  },
  {
    id: 'no-testing-in-src',
    check: (ref, file) =>
      turnoutLib(ref.specifier) === 'testing' && !file.isSpec && !(file.area === 'libs' && file.project === 'testing')
        ? '@turnout/testing is excluded from the build; only spec files may import it'
        : undefined,
  },
  {
    id: 'dev-dependency-type-only',
    check: (ref, file, context) => {
      const name = packageName(ref.specifier);
      if (ref.typeOnly || file.isSpec || (file.area === 'libs' && file.project === 'testing')) return undefined;
      // apps/console is a browser page: Vite bundles its imports at build time, so Node never loads them in production.
      if (file.area === 'apps' && file.project === 'console') return undefined;
      return name !== undefined && context.devDependencies.includes(name)
        ? `${name} is a devDependency (absent in production): use \`import type\``
        : undefined;
    },
  },
];

function fileFacts(path: string): FileFacts | undefined {
  const match = /^(libs|apps)\/([^/]+)\/src\//.exec(path);
  if (!match) return undefined;
  return { path, area: match[1], project: match[2], isSpec: /\.(?:spec|int-spec|e2e-spec|contract-spec)\.ts$/.test(path) };
}

/** Every violation in the given sources; files outside `libs/*\/src` and `apps/*\/src` are ignored. */
export function checkSources(files: readonly SourceFile[], context: RuleContext, rules: readonly ImportRule[] = IMPORT_RULES): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const facts = fileFacts(file.path);
    if (!facts) continue;
    for (const ref of extractImports(file.text)) {
      for (const rule of rules) {
        const reason = rule.check(ref, facts, context);
        if (reason) violations.push({ rule: rule.id, path: file.path, line: ref.line, specifier: ref.specifier, reason });
      }
    }
  }
  return [...violations, ...appFolderCycles(files)];
}

/** The rule that needs the whole tree, not one import: no cycle between an app's folders. */
export const APP_FOLDER_CYCLE_RULE = 'no-app-folder-cycle';

interface FolderEdge {
  readonly from: string;
  readonly to: string;
  readonly path: string;
  readonly line: number;
  readonly specifier: string;
}

/**
 * `apps/<app>/src/<folder>/…` importing `apps/<app>/src/<other>/…` is an edge between folders;
 * every edge that lies on a cycle is reported, with one cycle through it. Files directly in
 * `src/` (the composition root, main) are not a folder and may import any.
 */
export function appFolderCycles(files: readonly SourceFile[]): Violation[] {
  const folderOf = (path: string): { app: string; folder: string } | undefined => {
    const match = /^apps\/([^/]+)\/src\/([^/]+)\//.exec(path);
    return match ? { app: match[1], folder: `${match[1]}/${match[2]}` } : undefined;
  };
  const edges: FolderEdge[] = [];
  for (const file of files) {
    const from = folderOf(file.path);
    if (!from) continue;
    for (const ref of extractImports(file.text)) {
      if (!ref.specifier.startsWith('.')) continue;
      const to = folderOf(posix.normalize(posix.join(posix.dirname(file.path), ref.specifier)));
      if (to && to.app === from.app && to.folder !== from.folder) edges.push({ from: from.folder, to: to.folder, path: file.path, line: ref.line, specifier: ref.specifier });
    }
  }
  const next = new Map<string, Set<string>>();
  for (const edge of edges) next.set(edge.from, (next.get(edge.from) ?? new Set()).add(edge.to));
  /** The shortest folder path from `start` to `goal`, or undefined. */
  const pathBetween = (start: string, goal: string): string[] | undefined => {
    const previous = new Map<string, string>([[start, start]]);
    const queue = [start];
    while (queue.length > 0) {
      const at = queue.shift() as string;
      if (at === goal) {
        const path = [goal];
        while (path[0] !== start) path.unshift(previous.get(path[0]) as string);
        return path;
      }
      for (const to of next.get(at) ?? []) {
        if (!previous.has(to)) previous.set(to, at), queue.push(to);
      }
    }
    return undefined;
  };
  const violations: Violation[] = [];
  const reported = new Set<string>();
  for (const edge of edges) {
    const pair = `${edge.from} ${edge.to}`;
    if (reported.has(pair)) continue;
    const back = pathBetween(edge.to, edge.from);
    if (!back) continue;
    reported.add(pair);
    const count = edges.filter((other) => other.from === edge.from && other.to === edge.to).length;
    const cycle = [edge.from, ...back].map((folder) => folder.slice(folder.indexOf('/') + 1)).join(' -> ');
    const more = count > 1 ? ` (and ${count - 1} more imports ${edge.from.split('/')[1]} -> ${edge.to.split('/')[1]})` : '';
    violations.push({ rule: APP_FOLDER_CYCLE_RULE, path: edge.path, line: edge.line, specifier: edge.specifier, reason: `app folders import each other in a cycle: ${cycle}${more}` });
  }
  return violations;
}

export function formatViolation(v: Violation): string {
  return `${v.path}:${v.line} imports '${v.specifier}': [${v.rule}] ${v.reason}`;
}

/** Reads every .ts file under libs/*\/src and apps/*\/src of the repo at `root`. */
export function readRepoSources(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const area of ['libs', 'apps']) {
    for (const project of safeReaddir(join(root, area))) {
      const src = join(root, area, project, 'src');
      for (const entry of safeReaddir(src, true)) {
        if (!entry.endsWith('.ts') || entry.endsWith('.d.ts')) continue;
        const absolute = join(src, entry);
        files.push({ path: relative(root, absolute).split(sep).join('/'), text: readFileSync(absolute, 'utf8') });
      }
    }
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function safeReaddir(dir: string, recursive = false): string[] {
  try {
    return readdirSync(dir, { recursive, encoding: 'utf8' });
  } catch {
    return [];
  }
}
