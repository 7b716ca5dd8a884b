import { growthFactorFor } from './young-generation-sizing';

const MB = 1024 * 1024;

describe('growthFactorFor', () => {
  it("doubles (V8's factor) while the doubled size still fits the cap, then stops", () => {
    expect(growthFactorFor(1 * MB, 16 * MB)).toBe(2);
    expect(growthFactorFor(8 * MB, 16 * MB)).toBe(2);
    expect(growthFactorFor(16 * MB, 16 * MB)).toBe(1);
    expect(growthFactorFor(4 * MB, 6 * MB)).toBe(1);
    // Past the cap (grown before the observer ran, or an operator's flags): no further growth.
    expect(growthFactorFor(32 * MB, 16 * MB)).toBe(1);
  });
});
