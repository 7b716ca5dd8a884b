import { DEFAULT_HEAP_GROWTH_PERCENT, DEFAULT_YOUNG_GENERATION_MB, heapFlags, HeapSettingsError, loadHeapSettings } from './heap-settings';

describe('loadHeapSettings', () => {
  it('defaults to a capped young generation and a bounded old-generation growth', () => {
    expect(loadHeapSettings({})).toEqual({ youngGeneration: DEFAULT_YOUNG_GENERATION_MB, heapGrowthPercent: DEFAULT_HEAP_GROWTH_PERCENT });
    expect(DEFAULT_YOUNG_GENERATION_MB).toBe(16);
  });

  it('reads TURNOUT_V8_YOUNG_GENERATION and TURNOUT_V8_HEAP_GROWTH_PERCENT', () => {
    expect(loadHeapSettings({ TURNOUT_V8_YOUNG_GENERATION: 'fixed', TURNOUT_V8_HEAP_GROWTH_PERCENT: '0' })).toEqual({ youngGeneration: 'fixed', heapGrowthPercent: 0 });
    expect(loadHeapSettings({ TURNOUT_V8_YOUNG_GENERATION: 'growing' }).youngGeneration).toBe('growing');
    expect(loadHeapSettings({ TURNOUT_V8_YOUNG_GENERATION: '8' }).youngGeneration).toBe(8);
  });

  it.each([
    [{ TURNOUT_V8_YOUNG_GENERATION: 'small' }, /TURNOUT_V8_YOUNG_GENERATION must be fixed, growing or a size in MB from 2 to 32 \(got "small"\)/],
    [{ TURNOUT_V8_YOUNG_GENERATION: '1' }, /TURNOUT_V8_YOUNG_GENERATION/],
    [{ TURNOUT_V8_YOUNG_GENERATION: '64' }, /TURNOUT_V8_YOUNG_GENERATION/],
    [{ TURNOUT_V8_YOUNG_GENERATION: '8.5' }, /TURNOUT_V8_YOUNG_GENERATION/],
    [{ TURNOUT_V8_HEAP_GROWTH_PERCENT: '-1' }, /TURNOUT_V8_HEAP_GROWTH_PERCENT must be an integer from 0 to 300/],
    [{ TURNOUT_V8_HEAP_GROWTH_PERCENT: '12.5' }, /TURNOUT_V8_HEAP_GROWTH_PERCENT/],
    [{ TURNOUT_V8_HEAP_GROWTH_PERCENT: '301' }, /TURNOUT_V8_HEAP_GROWTH_PERCENT/],
    [{ TURNOUT_V8_HEAP_GROWTH_PERCENT: 'lots' }, /TURNOUT_V8_HEAP_GROWTH_PERCENT/],
  ])('refuses %j', (env, message) => {
    expect(() => loadHeapSettings(env)).toThrow(HeapSettingsError);
    expect(() => loadHeapSettings(env)).toThrow(message);
  });
});

describe('heapFlags', () => {
  it('turns the settings into V8 flags: every young-generation setting starts fixed while the modules load', () => {
    expect(heapFlags({ youngGeneration: 16, heapGrowthPercent: 50 }, [])).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=50']);
    expect(heapFlags({ youngGeneration: 'fixed', heapGrowthPercent: 50 }, [])).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=50']);
    expect(heapFlags({ youngGeneration: 'growing', heapGrowthPercent: 50 }, [])).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=50']);
  });

  it("leaves the old generation to V8's heuristic when asked", () => {
    expect(heapFlags({ youngGeneration: 'growing', heapGrowthPercent: 0 }, [])).toEqual(['--semi-space-growth-factor=1']);
  });

  it("keeps the operator's own V8 heap flags (node argv or NODE_OPTIONS)", () => {
    expect(heapFlags({ youngGeneration: 'fixed', heapGrowthPercent: 50 }, ['--max-semi-space-size=8', '--heap_growing_percent=20'])).toEqual([]);
    expect(heapFlags({ youngGeneration: 'fixed', heapGrowthPercent: 50 }, ['--semi-space-growth-factor=2'])).toEqual(['--heap-growing-percent=50']);
  });
});
