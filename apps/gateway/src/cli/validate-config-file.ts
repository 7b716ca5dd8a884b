import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from '@turnout/config';
import leven from 'leven';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError, TurnoutConfigDto, validateConfig } from '@turnout/config';

/** One finding of `turnout config validate`: where (1-based line and column, when known) and what. */
export interface ConfigFinding {
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/**
 * `turnout config validate FILE`, offline: the same rules the gateway applies at start, with the
 * place in the file (line:column) and, for an unknown key, the nearest known one. Undefined
 * when the file is valid.
 */
export function findConfigProblem(text: string): ConfigFinding | undefined {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const yamlError = document.errors[0];
  if (yamlError) {
    const [start] = yamlError.pos;
    return { ...at(lines, start), message: `not valid YAML: ${yamlError.message.split('\n')[0]}` };
  }
  const plain: unknown = document.toJS();
  try {
    validateConfig(plain);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const path = pathOf(error.message);
    if (path === undefined) return { ...at(lines, document.contents?.range?.[0]), message: error.message };
    const unknownKey = / unknown field$/.test(error.message);
    const offset = unknownKey ? keyOffset(document, path) : valueOffset(document, path);
    const hint = unknownKey ? suggestion(plain, path) : undefined;
    return { ...at(lines, offset), message: hint ? `${error.message}; did you mean "${hint}"?` : error.message };
  }
}

/** Reads FILE and prints `FILE:line:column: message`; exit code 0 (valid), 1 (invalid or unreadable). */
export function validateConfigFileCommand(file: string, out: (text: string) => void, err: (text: string) => void): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    err(`turnout: ${file}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
    return 1;
  }
  const finding = findConfigProblem(text);
  if (!finding) {
    out(`${file}: valid\n`);
    return 0;
  }
  const where = finding.line === undefined ? '' : `${finding.line}:${finding.column}:`;
  err(`${file}:${where} ${finding.message}\n`);
  return 1;
}

type PathPart = string | number;

/** `providers[0].timeouts.idle_ms: …` → ['providers', 0, 'timeouts', 'idle_ms']; every ConfigError starts with its path. */
function pathOf(message: string): PathPart[] | undefined {
  const match = /^([A-Za-z0-9_-]+(?:\[\d+\]|\.[A-Za-z0-9_-]+)*)(?::| )/.exec(message);
  if (!match) return undefined;
  return [...(match[1] as string).matchAll(/([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((part) => (part[2] === undefined ? (part[1] as string) : Number(part[2])));
}

/** Where the deepest existing node on the path starts (a missing field points at its parent). */
function valueOffset(document: Document, path: PathPart[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return range[0];
  }
  return undefined;
}

/** Where an unknown key itself is written. */
function keyOffset(document: Document, path: PathPart[]): number | undefined {
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === path[path.length - 1]);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (range) return range[0];
  }
  return valueOffset(document, path);
}

/**
 * The known key nearest to an unknown one. The document is turned into the config DTOs the way
 * validation does it, so the unknown key's parent is an instance of its DTO class, whose
 * validated properties are exactly the keys allowed there.
 */
function suggestion(plain: unknown, path: PathPart[]): string | undefined {
  let parent: unknown = plainToInstance(TurnoutConfigDto, plain);
  for (const part of path.slice(0, -1)) parent = (parent as Record<PathPart, unknown> | undefined)?.[part];
  if (typeof parent !== 'object' || parent === null || isSeq(parent)) return undefined;
  const known = new Set(getMetadataStorage().getTargetValidationMetadatas(parent.constructor, '', true, false).map((m) => m.propertyName));
  const unknown = String(path[path.length - 1]);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = leven(unknown, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  // Close enough to be a typo: a third of the name, at least two edits.
  return best && best.distance <= Math.max(2, Math.floor(unknown.length / 3)) ? best.name : undefined;
}

function at(lines: LineCounter, offset: number | undefined): { line?: number; column?: number } {
  if (offset === undefined) return {};
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
