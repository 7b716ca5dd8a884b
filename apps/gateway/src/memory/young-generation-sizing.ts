import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { nodeFlagsOf, youngGenerationGiven, type HeapSettings } from './heap-settings';

/** V8's own `--semi-space-growth-factor`: the young generation doubles when it grows. */
const V8_GROWTH_FACTOR = 2;
const MB = 1024 * 1024;

/**
 * The growth factor that keeps the young generation within `capBytes`: V8's doubling while a
 * doubling still fits, then none.
 */
export function growthFactorFor(sizeBytes: number, capBytes: number): 1 | 2 {
  return sizeBytes * V8_GROWTH_FACTOR <= capBytes ? V8_GROWTH_FACTOR : 1;
}

/** The young generation's committed size as V8 reports it (both semi-spaces). */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Called once the gateway serves (heap-settings.ts kept the young generation at its initial
 * size while the modules loaded). `growing` hands sizing back to V8; a cap lets V8 grow it
 * until the next doubling would pass the cap: V8 reads `--semi-space-growth-factor` at each
 * scavenge, so after each collection the factor is set to 2 or 1. V8's `--max-semi-space-size`
 * would do this in one flag, but only on node's command line: it is read once, when the heap is
 * created. The watch lasts as long as the process.
 */
export function sizeYoungGeneration(settings: HeapSettings, nodeFlags: readonly string[] = nodeFlagsOf(process.env, process.execArgv)): void {
  const young = settings.youngGeneration;
  if (young === 'fixed' || youngGenerationGiven(nodeFlags)) return;
  if (young === 'growing') {
    setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
    return;
  }
  const capBytes = young * MB;
  let factor = 1;
  const fit = (): void => {
    const wanted = growthFactorFor(youngGenerationBytes(), capBytes);
    if (wanted === factor) return;
    factor = wanted;
    setFlagsFromString(`--semi-space-growth-factor=${wanted}`);
  };
  fit();
  // One entry per collection; under full load that is tens per second, each a few µs here.
  new PerformanceObserver(fit).observe({ entryTypes: ['gc'] });
}
