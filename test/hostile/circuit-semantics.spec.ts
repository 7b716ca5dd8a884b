import { GatewayError } from '@turnout/errors';
import { CircuitBreaker } from '@turnout/resilience';
import { circuitVerdict } from '@turnout/resilience';

/** Issue 15, case 7 (unit half): what counts against a circuit, and the minimum request volume. */
describe('hostile 7: circuit verdicts', () => {
  it.each([
    [new GatewayError('GW_UPSTREAM_BAD_REQUEST', { upstreamStatus: 400 }), 'neutral'],
    [new GatewayError('GW_UPSTREAM_AUTH', { upstreamStatus: 401 }), 'neutral'],
    [new GatewayError('GW_UPSTREAM_MODEL_NOT_FOUND', { upstreamStatus: 404 }), 'neutral'],
    [new GatewayError('GW_UPSTREAM_TOO_LARGE', { upstreamStatus: 413 }), 'neutral'],
    [new GatewayError('GW_UPSTREAM_RATE_LIMITED', { upstreamStatus: 429 }), 'rate-limited'],
    [new GatewayError('GW_UPSTREAM_ERROR', { upstreamStatus: 500 }), 'failure'],
    [new GatewayError('GW_UPSTREAM_ERROR', { upstreamStatus: 501 }), 'neutral'],
    [new GatewayError('GW_UPSTREAM_OVERLOADED', { upstreamStatus: 503 }), 'failure'],
    [new GatewayError('GW_UPSTREAM_OVERLOADED', { upstreamStatus: 529 }), 'failure'],
    [new GatewayError('GW_UPSTREAM_UNREACHABLE'), 'failure'],
    [new GatewayError('GW_UPSTREAM_CONNECT_TIMEOUT'), 'failure'],
    [new GatewayError('GW_UPSTREAM_FIRST_BYTE_TIMEOUT'), 'failure'],
    [new GatewayError('GW_UPSTREAM_STREAM_ENDED'), 'failure'],
    [new GatewayError('GW_CIRCUIT_OPEN'), 'neutral'],
    [new GatewayError('GW_QUEUE_FULL'), 'neutral'],
    [new GatewayError('GW_CLIENT_ABORTED'), 'neutral'],
    [new GatewayError('GW_INVALID_REQUEST'), 'neutral'],
  ])('%s -> %s', (error, verdict) => {
    expect(circuitVerdict(error)).toBe(verdict);
  });

  it('opens only once the minimum number of requests ended within the window', () => {
    let now = 0;
    const circuit = new CircuitBreaker({ failureThreshold: 2, minRequests: 5, windowMs: 10_000, cooldownMs: 1_000, now: () => now });
    circuit.onFailure();
    circuit.onFailure();
    expect(circuit.state).toBe('closed');
    circuit.onFailure();
    circuit.onFailure();
    circuit.onFailure();
    expect(circuit.state).toBe('open');
    // A quiet upstream: failures spread beyond the window never reach the volume.
    const quiet = new CircuitBreaker({ failureThreshold: 2, minRequests: 3, windowMs: 10_000, cooldownMs: 1_000, now: () => now });
    for (let i = 0; i < 10; i++) {
      quiet.onFailure();
      now += 20_000;
    }
    expect(quiet.state).toBe('closed');
  });
});
