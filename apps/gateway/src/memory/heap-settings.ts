import { setFlagsFromString } from 'node:v8';

/**
 * How V8 sizes the gateway's heap. V8's defaults are tuned for throughput on a big machine: the
 * young generation doubles up to two 16 MB semi-spaces (32 MB resident whenever it has grown,
 * and module loading alone grows it), and the old generation may grow to up to four times what
 * survived the last full collection before the next one (at a few thousand requests per second
 * that is ~150 MB of dead request objects). A gateway's live heap is small and its request
 * objects die young, so Turnout:
 * - keeps the young generation at its initial size while the modules load (they would grow it
 *   to 32 MB for nothing), then, once serving, lets it grow up to a cap (16 MB by default: at
 *   full load a 1 MB young generation made each passthrough stream cost 1.6-1.8× the CPU,
 *   since every scavenge copies the live objects of 32 concurrent streams);
 * - lets the old generation grow by a bounded percentage between full collections.
 * docs/performance.md, "Memory", has the measurements.
 *
 * Applied by bin/turnout.js before the gateway's modules load. Both flags are read by V8's
 * collector at each collection, which is why setting them at run time works (unlike
 * `--max-semi-space-size`, which is read once when the heap is created); an operator who passes
 * V8 heap flags to node (argv or NODE_OPTIONS) keeps them, and Turnout leaves that part alone.
 */
export interface HeapSettings {
  /**
   * `TURNOUT_V8_YOUNG_GENERATION`: a number is the cap in MB on the young generation (both
   * semi-spaces; default 16); `growing` is V8's own sizing (up to 32 MB); `fixed` keeps V8's
   * initial 1 MB.
   */
  readonly youngGeneration: 'fixed' | 'growing' | number;
  /** `TURNOUT_V8_HEAP_GROWTH_PERCENT`: old-generation growth between full collections; 0 is V8's own heuristic. */
  readonly heapGrowthPercent: number;
}

export const DEFAULT_HEAP_GROWTH_PERCENT = 50;
export const DEFAULT_YOUNG_GENERATION_MB = 16;
/** V8's young generation starts at 1 MB and never exceeds 2 × 16 MB on 64-bit (without --max-semi-space-size). */
const YOUNG_GENERATION_MB_RANGE = [2, 32] as const;
/** V8 itself never grows the old generation by more than 4×; a larger setting is a typo. */
const MAX_HEAP_GROWTH_PERCENT = 300;

export class HeapSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeapSettingsError';
  }
}

export function loadHeapSettings(env: Readonly<Record<string, string | undefined>>): HeapSettings {
  const young = parseYoungGeneration(env.TURNOUT_V8_YOUNG_GENERATION);
  const growthText = env.TURNOUT_V8_HEAP_GROWTH_PERCENT;
  const growth = growthText === undefined || growthText === '' ? DEFAULT_HEAP_GROWTH_PERCENT : Number(growthText);
  if (!Number.isInteger(growth) || growth < 0 || growth > MAX_HEAP_GROWTH_PERCENT) {
    throw new HeapSettingsError(`TURNOUT_V8_HEAP_GROWTH_PERCENT must be an integer from 0 to ${MAX_HEAP_GROWTH_PERCENT} (got "${growthText}")`);
  }
  return { youngGeneration: young, heapGrowthPercent: growth };
}

function parseYoungGeneration(text: string | undefined): HeapSettings['youngGeneration'] {
  if (text === undefined || text === '') return DEFAULT_YOUNG_GENERATION_MB;
  if (text === 'fixed' || text === 'growing') return text;
  const [min, max] = YOUNG_GENERATION_MB_RANGE;
  const mb = Number(text);
  if (!Number.isInteger(mb) || mb < min || mb > max) {
    throw new HeapSettingsError(`TURNOUT_V8_YOUNG_GENERATION must be fixed, growing or a size in MB from ${min} to ${max} (got "${text}")`);
  }
  return mb;
}

/** The node flags an operator gave: node's own argv and NODE_OPTIONS. */
export function nodeFlagsOf(env: Readonly<Record<string, string | undefined>>, execArgv: readonly string[]): string[] {
  return [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
}

/** Whether the operator sized the young generation on the node command line: then Turnout leaves it alone. */
export function youngGenerationGiven(nodeFlags: readonly string[]): boolean {
  return flagGiven(nodeFlags, /^--(max|min)[-_]semi[-_]space[-_]size|^--semi[-_]space[-_]growth[-_]factor/);
}

function flagGiven(nodeFlags: readonly string[], pattern: RegExp): boolean {
  return nodeFlags.some((flag) => pattern.test(flag));
}

/**
 * The V8 flags that carry `settings`, minus whatever the operator already decided on the node
 * command line (`nodeFlags`: process.execArgv and NODE_OPTIONS).
 */
export function heapFlags(settings: HeapSettings, nodeFlags: readonly string[]): string[] {
  const flags: string[] = [];
  // Every setting starts fixed: the modules load in V8's initial young generation. Once
  // serving, `sizeYoungGeneration` lets it grow (young-generation-sizing.ts).
  if (!youngGenerationGiven(nodeFlags)) flags.push('--semi-space-growth-factor=1');
  if (settings.heapGrowthPercent > 0 && !flagGiven(nodeFlags, /^--heap[-_]growing[-_]percent/)) flags.push(`--heap-growing-percent=${settings.heapGrowthPercent}`);
  return flags;
}

/** Reads the settings from `env` and hands V8 its flags; throws HeapSettingsError on a bad value. */
export function applyHeapSettings(env: Readonly<Record<string, string | undefined>> = process.env, execArgv: readonly string[] = process.execArgv): string[] {
  const flags = heapFlags(loadHeapSettings(env), nodeFlagsOf(env, execArgv));
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
