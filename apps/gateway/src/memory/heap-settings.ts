import { setFlagsFromString } from 'node:v8';

/**
 * How V8 sizes the gateway's heap. V8's defaults are tuned for throughput on a big machine: the
 * young generation doubles up to two 16 MB semi-spaces (32 MB resident whenever it has grown,
 * and module loading alone grows it), and the old generation may grow to up to four times what
 * survived the last full collection before the next one (at a few thousand requests per second
 * that is ~150 MB of dead request objects). A gateway's live heap is small and its request
 * objects die young, so by default Turnout lets the old generation grow by a bounded percentage,
 * and on request (`fixed`) keeps the young generation at its initial size: 30 MB less, but at
 * full load a 1 MB young generation made each passthrough stream cost 1.6-1.8× the CPU (every
 * scavenge copies the live objects of 32 concurrent streams), so V8's own young-generation
 * sizing is the default (docs/performance.md, "Memory").
 *
 * Applied by bin/turnout.js before the gateway's modules load. Both flags are read by V8's
 * collector at each collection, which is why setting them at run time works (unlike
 * `--max-semi-space-size`, which is read once when the heap is created); an operator who passes
 * V8 heap flags to node (argv or NODE_OPTIONS) keeps them, and Turnout leaves that part alone.
 */
export interface HeapSettings {
  /** `TURNOUT_V8_YOUNG_GENERATION`: `growing` (default) is V8's own sizing; `fixed` keeps V8's initial 1 MB semi-spaces. */
  readonly youngGeneration: 'fixed' | 'growing';
  /** `TURNOUT_V8_HEAP_GROWTH_PERCENT`: old-generation growth between full collections; 0 is V8's own heuristic. */
  readonly heapGrowthPercent: number;
}

export const DEFAULT_HEAP_GROWTH_PERCENT = 50;
/** V8 itself never grows the old generation by more than 4×; a larger setting is a typo. */
const MAX_HEAP_GROWTH_PERCENT = 300;

export class HeapSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeapSettingsError';
  }
}

export function loadHeapSettings(env: Readonly<Record<string, string | undefined>>): HeapSettings {
  const young = env.TURNOUT_V8_YOUNG_GENERATION || 'growing';
  if (young !== 'fixed' && young !== 'growing') {
    throw new HeapSettingsError(`TURNOUT_V8_YOUNG_GENERATION must be fixed or growing (got "${young}")`);
  }
  const growthText = env.TURNOUT_V8_HEAP_GROWTH_PERCENT;
  const growth = growthText === undefined || growthText === '' ? DEFAULT_HEAP_GROWTH_PERCENT : Number(growthText);
  if (!Number.isInteger(growth) || growth < 0 || growth > MAX_HEAP_GROWTH_PERCENT) {
    throw new HeapSettingsError(`TURNOUT_V8_HEAP_GROWTH_PERCENT must be an integer from 0 to ${MAX_HEAP_GROWTH_PERCENT} (got "${growthText}")`);
  }
  return { youngGeneration: young, heapGrowthPercent: growth };
}

/**
 * The V8 flags that carry `settings`, minus whatever the operator already decided on the node
 * command line (`nodeFlags`: process.execArgv and NODE_OPTIONS).
 */
export function heapFlags(settings: HeapSettings, nodeFlags: readonly string[]): string[] {
  const given = (pattern: RegExp) => nodeFlags.some((flag) => pattern.test(flag));
  const flags: string[] = [];
  if (settings.youngGeneration === 'fixed' && !given(/^--(max|min)[-_]semi[-_]space[-_]size|^--semi[-_]space[-_]growth[-_]factor/)) {
    flags.push('--semi-space-growth-factor=1');
  }
  if (settings.heapGrowthPercent > 0 && !given(/^--heap[-_]growing[-_]percent/)) flags.push(`--heap-growing-percent=${settings.heapGrowthPercent}`);
  return flags;
}

/** Reads the settings from `env` and hands V8 its flags; throws HeapSettingsError on a bad value. */
export function applyHeapSettings(env: Readonly<Record<string, string | undefined>> = process.env, execArgv: readonly string[] = process.execArgv): string[] {
  const nodeFlags = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
  const flags = heapFlags(loadHeapSettings(env), nodeFlags);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
