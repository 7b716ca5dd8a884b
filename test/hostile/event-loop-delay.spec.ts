import { GatewayMetrics } from '@turnout/observability';

/** Issue 15 case 12: a stall of the event loop shows on /metrics as turnout_event_loop_delay_seconds. */
function stat(text: string, name: string): number {
  const match = new RegExp(`^turnout_event_loop_delay_seconds\\{stat="${name}"\\} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`no ${name} sample in:\n${text}`);
  return Number(match[1]);
}

describe('hostile 12: event-loop delay', () => {
  it('reports a 300 ms stall as a max delay of at least 0.2 s, and resets at each scrape', async () => {
    const metrics = new GatewayMetrics();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stalledUntil = Date.now() + 300;
    while (Date.now() < stalledUntil) {
      // a synchronous stall, as a backtracking match on a hostile model name would be
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = await metrics.registry.metrics();
    expect(stat(first, 'max')).toBeGreaterThanOrEqual(0.2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await metrics.registry.metrics();
    // Reset at each scrape: the stall is not reported twice.
    expect(stat(second, 'max')).toBeLessThan(stat(first, 'max'));
  });
});
