/**
 * The two timer calls the resilience pieces make, behind an interface so tests drive them with a
 * fake clock instead of sleeping, and so nothing here depends on jest's global timer patching.
 */
export type TimerHandle = unknown;

export interface Timers {
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const systemTimers: Timers = {
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
