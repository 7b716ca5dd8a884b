import { CoalescedRunner } from './coalesced-runner';

/** A task whose runs the test finishes by hand, so every interleaving is chosen, not raced. */
function gatedTask() {
  const finishers: (() => void)[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  let runs = 0;
  const task = () =>
    new Promise<void>((resolve) => {
      runs++;
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      finishers.push(() => {
        concurrent--;
        resolve();
      });
    });
  const finishNext = async () => {
    const finish = finishers.shift();
    if (!finish) throw new Error('no run in progress');
    finish();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { task, finishNext, runs: () => runs, maxConcurrent: () => maxConcurrent };
}

describe('CoalescedRunner', () => {
  it('runs once when asked once', async () => {
    const gated = gatedTask();
    const runner = new CoalescedRunner(gated.task);
    const done = runner.run();
    await gated.finishNext();
    await done;
    expect(gated.runs()).toBe(1);
  });

  it('requests during a run cause exactly one more run, never two at once, and resolve after it', async () => {
    const gated = gatedTask();
    const runner = new CoalescedRunner(gated.task);
    const first = runner.run();
    let laterSettled = false;
    const later = Promise.all([runner.run(), runner.run(), runner.run()]).then(() => (laterSettled = true));
    await gated.finishNext();
    expect(gated.runs()).toBe(2);
    expect(laterSettled).toBe(false);
    await gated.finishNext();
    await Promise.all([first, later]);
    expect(gated.runs()).toBe(2);
    expect(gated.maxConcurrent()).toBe(1);
  });

  it('starts afresh after going idle', async () => {
    const gated = gatedTask();
    const runner = new CoalescedRunner(gated.task);
    const first = runner.run();
    await gated.finishNext();
    await first;
    const second = runner.run();
    await gated.finishNext();
    await second;
    expect(gated.runs()).toBe(2);
  });
});
