/**
 * Runs an async task one at a time. A request made while it runs does not start a second copy:
 * it makes the task run once more afterwards (however many requests came in), and the caller's
 * promise resolves after that run. Reloads use it: a burst of change notices and poll ticks
 * costs at most two reads, reads never interleave, and whoever asked sees a read that began
 * after they asked. The task must not throw; if it does, the error goes to every waiting caller.
 */
export class CoalescedRunner {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly task: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.task();
    } while (this.again);
  }
}
