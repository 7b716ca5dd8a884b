import { restartDelayMs } from './worker-cluster';

describe('restartDelayMs', () => {
  it('doubles from 100 ms with each death in the last minute, up to 10 s', () => {
    expect([1, 2, 3, 4, 5].map(restartDelayMs)).toEqual([100, 200, 400, 800, 1600]);
    expect(restartDelayMs(8)).toBe(10_000);
    expect(restartDelayMs(50)).toBe(10_000);
  });
});
