import { GatewayError } from '@turnout/errors';
import { FakeClock, flush } from '../test/fake-clock';
import { sleep } from './sleep';

describe('sleep', () => {
  it('resolves when its timer fires, not before', async () => {
    const clock = new FakeClock();
    let done = false;
    const slept = sleep(500, new AbortController().signal, clock).then(() => (done = true));
    clock.advance(499);
    await flush();
    expect(done).toBe(false);
    clock.advance(1);
    await slept;
    expect(done).toBe(true);
  });

  it('rejects with GW_CLIENT_ABORTED as soon as the signal aborts, and clears its timer', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const slept = sleep(10_000, controller.signal, clock);
    controller.abort();
    await expect(slept).rejects.toMatchObject({ code: 'GW_CLIENT_ABORTED' });
    expect(clock.timerCount).toBe(0);
  });

  it('rejects at once, without a timer, when the signal is already aborted', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    controller.abort();
    await expect(sleep(100, controller.signal, clock)).rejects.toMatchObject({ code: 'GW_CLIENT_ABORTED' });
    expect(clock.timerCount).toBe(0);
  });

  it('keeps a GatewayError abort reason (the app saying why: shutdown, a deadline)', async () => {
    const controller = new AbortController();
    const slept = sleep(10_000, controller.signal, new FakeClock());
    const reason = new GatewayError('GW_SHUTTING_DOWN');
    controller.abort(reason);
    await expect(slept).rejects.toBe(reason);
  });

  it('an abort after it resolved changes nothing', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const slept = sleep(10, controller.signal, clock);
    clock.advance(10);
    await slept;
    expect(() => controller.abort()).not.toThrow();
  });

  it('works with the real timers for a few ms', async () => {
    await expect(sleep(1, new AbortController().signal)).resolves.toBeUndefined();
  });
});
