import { validateConfig } from '@turnout/config';
import { GatewayError } from '@turnout/errors';
import { ProviderGuards, type ProviderGuardsMetrics } from './provider-guards';

const metrics: ProviderGuardsMetrics = { setCircuitState() {}, setProviderUp() {}, observeQueueWait() {}, setQueueDepth() {}, countCircuitPanic() {} };

const [provider] = validateConfig({
  providers: [{ id: 'gpu', kind: 'llama-cpp', base_url: 'http://127.0.0.1:8080', limits: { max_in_flight: 1, max_queue: 4 }, circuit: { failure_threshold: 1, min_requests: 1 } }],
  routes: [{ match: '*', provider: 'gpu' }],
}).providers;

describe('ProviderGuards.snapshot (what the console shows)', () => {
  it('counts passes in flight and requests queued, and reads the circuit state with its reopening time', async () => {
    const guards = new ProviderGuards(metrics, { circuitPanic: false });
    expect(guards.snapshot('gpu')).toEqual({ circuit: 'closed', openUntil: undefined, inFlight: 0, queued: 0 });
    const first = await guards.admit(provider!, new AbortController().signal);
    const waiting = guards.admit(provider!, new AbortController().signal);
    expect(guards.snapshot('gpu')).toMatchObject({ inFlight: 1, queued: 1 });
    first.report(new GatewayError('GW_UPSTREAM_UNREACHABLE'));
    first.release();
    first.release(); // idempotent: counted once
    const second = await waiting;
    expect(guards.snapshot('gpu')).toMatchObject({ inFlight: 1, queued: 0, circuit: 'open' });
    expect(guards.snapshot('gpu').openUntil).toBeGreaterThan(Date.now());
    second.release();
    expect(guards.snapshot('gpu').inFlight).toBe(0);
  });
});
