import { CircuitBreaker, type CircuitState } from './circuit-breaker';

function breaker() {
  let now = 0;
  const states: CircuitState[] = [];
  const circuit = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, now: () => now });
  circuit.onStateChange((state) => states.push(state));
  return { circuit, states, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after failure_threshold consecutive failures; a success in between resets the count', () => {
    const { circuit, states } = breaker();
    circuit.onFailure();
    circuit.onFailure();
    circuit.onSuccess();
    circuit.onFailure();
    circuit.onFailure();
    expect(circuit.allow()).toBe('yes');
    circuit.onFailure();
    expect(circuit.allow()).toBe('no');
    expect(states).toEqual(['open']);
  });

  it('after the cooldown exactly one probe goes through; its success closes the circuit', () => {
    const { circuit, states, advance } = breaker();
    for (let i = 0; i < 3; i++) circuit.onFailure();
    advance(999);
    expect(circuit.allow()).toBe('no');
    advance(1);
    expect(circuit.state).toBe('half-open');
    expect(circuit.allow()).toBe('probe');
    expect(circuit.allow()).toBe('no');
    circuit.onSuccess();
    expect(circuit.allow()).toBe('yes');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe opens it again for another cooldown', () => {
    const { circuit, advance } = breaker();
    for (let i = 0; i < 3; i++) circuit.onFailure();
    advance(1_000);
    expect(circuit.allow()).toBe('probe');
    circuit.onFailure();
    expect(circuit.allow()).toBe('no');
    expect(circuit.openUntil).toBe(2_000);
    advance(1_000);
    expect(circuit.allow()).toBe('probe');
  });
});
