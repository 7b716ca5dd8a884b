import { DEFAULT_HEAP_GROWTH_PERCENT, heapFlags, HeapSettingsError, loadHeapSettings } from './heap-settings';

describe('loadHeapSettings', () => {
  it("defaults to V8's own young generation and a bounded old-generation growth", () => {
    expect(loadHeapSettings({})).toEqual({ youngGeneration: 'growing', heapGrowthPercent: DEFAULT_HEAP_GROWTH_PERCENT });
  });

  it('reads TURNOUT_V8_YOUNG_GENERATION and TURNOUT_V8_HEAP_GROWTH_PERCENT', () => {
    expect(loadHeapSettings({ TURNOUT_V8_YOUNG_GENERATION: 'fixed', TURNOUT_V8_HEAP_GROWTH_PERCENT: '0' })).toEqual({ youngGeneration: 'fixed', heapGrowthPercent: 0 });
  });

  it.each([
    [{ TURNOUT_V8_YOUNG_GENERATION: 'small' }, /TURNOUT_V8_YOUNG_GENERATION must be fixed or growing \(got "small"\)/],
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
  it('turns the defaults into V8 flags', () => {
    expect(heapFlags({ youngGeneration: 'fixed', heapGrowthPercent: 50 }, [])).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=50']);
  });

  it('leaves V8 its own sizing when asked', () => {
    expect(heapFlags({ youngGeneration: 'growing', heapGrowthPercent: 0 }, [])).toEqual([]);
  });

  it("keeps the operator's own V8 heap flags (node argv or NODE_OPTIONS)", () => {
    expect(heapFlags({ youngGeneration: 'fixed', heapGrowthPercent: 50 }, ['--max-semi-space-size=8', '--heap_growing_percent=20'])).toEqual([]);
    expect(heapFlags({ youngGeneration: 'fixed', heapGrowthPercent: 50 }, ['--semi-space-growth-factor=2'])).toEqual(['--heap-growing-percent=50']);
  });
});
