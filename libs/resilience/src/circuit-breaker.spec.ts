import { CircuitBreaker, type CircuitState } from './circuit-breaker';

function setup(options: { failureThreshold?: number; cooldownMs?: number; maxCooldownMs?: number } = {}) {
  let time = 1_000_000;
  const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000, ...options, now: () => time });
  const changes: Array<[CircuitState, CircuitState]> = [];
  breaker.onStateChange((state, previous) => changes.push([state, previous]));
  const advance = (ms: number) => (time += ms);
  const failTimes = (n: number) => {
    for (let i = 0; i < n; i += 1) breaker.onFailure();
  };
  return { breaker, changes, advance, failTimes, now: () => time };
}

describe('CircuitBreaker', () => {
  it('starts closed and lets everything through', () => {
    const { breaker } = setup();
    expect(breaker.state).toBe('closed');
    expect(breaker.openUntil).toBeUndefined();
    expect([breaker.allow(), breaker.allow(), breaker.allow()]).toEqual(['yes', 'yes', 'yes']);
  });

  it('opens after failureThreshold consecutive failures, not before', () => {
    const { breaker, changes, failTimes, now } = setup();
    failTimes(2);
    expect(breaker.state).toBe('closed');
    expect(breaker.failures).toBe(2);
    failTimes(1);
    expect(breaker.state).toBe('open');
    expect(breaker.openUntil).toBe(now() + 10_000);
    expect(breaker.allow()).toBe('no');
    expect(changes).toEqual([['open', 'closed']]);
  });

  it('a success resets the count: failures must be consecutive', () => {
    const { breaker, failTimes } = setup();
    failTimes(2);
    breaker.onSuccess();
    failTimes(2);
    expect(breaker.state).toBe('closed');
    expect(breaker.failures).toBe(2);
  });

  it('refuses during the cooldown, then half-opens exactly when it ends', () => {
    const { breaker, changes, advance, failTimes } = setup();
    failTimes(3);
    advance(9_999);
    expect(breaker.allow()).toBe('no');
    expect(breaker.state).toBe('open');
    advance(1);
    expect(breaker.state).toBe('half-open');
    expect(breaker.openUntil).toBeUndefined();
    expect(changes).toEqual([
      ['open', 'closed'],
      ['half-open', 'open'],
    ]);
  });

  it('half-open: exactly one caller of many gets the probe', () => {
    const { breaker, advance, failTimes } = setup();
    failTimes(3);
    advance(10_000);
    const verdicts = Array.from({ length: 50 }, () => breaker.allow());
    expect(verdicts.filter((v) => v === 'probe')).toHaveLength(1);
    expect(verdicts[0]).toBe('probe');
    expect(verdicts.slice(1).every((v) => v === 'no')).toBe(true);
  });

  it('a successful probe closes the circuit', () => {
    const { breaker, changes, advance, failTimes } = setup();
    failTimes(3);
    advance(10_000);
    expect(breaker.allow()).toBe('probe');
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.failures).toBe(0);
    expect(breaker.allow()).toBe('yes');
    expect(changes.map(([state]) => state)).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe re-opens for another cooldown; the next cooldown allows a new probe', () => {
    const { breaker, changes, advance, failTimes, now } = setup();
    failTimes(3);
    advance(10_000);
    expect(breaker.allow()).toBe('probe');
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.openUntil).toBe(now() + 10_000);
    expect(breaker.allow()).toBe('no');
    advance(10_000);
    expect(breaker.allow()).toBe('probe');
    expect(changes.map(([state]) => state)).toEqual(['open', 'half-open', 'open', 'half-open']);
  });

  it('with maxCooldownMs, each failed probe doubles the cooldown up to the max; a success resets it', () => {
    const { breaker, advance, failTimes, now } = setup({ maxCooldownMs: 35_000 });
    failTimes(3);
    const cooldowns: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      cooldowns.push((breaker.openUntil as number) - now());
      advance(cooldowns[i]);
      expect(breaker.allow()).toBe('probe');
      breaker.onFailure();
    }
    expect(cooldowns).toEqual([10_000, 20_000, 35_000, 35_000]);
    advance(35_000);
    breaker.allow();
    breaker.onSuccess();
    failTimes(3);
    expect((breaker.openUntil as number) - now()).toBe(10_000);
  });

  it('reports while open are ignored: a late failure does not stretch the cooldown', () => {
    const { breaker, advance, failTimes, now } = setup();
    failTimes(3);
    const until = breaker.openUntil;
    advance(5_000);
    breaker.onFailure();
    breaker.onSuccess();
    expect(breaker.state).toBe('open');
    expect(breaker.openUntil).toBe(until);
    advance(5_000);
    expect(now()).toBe(until);
    expect(breaker.state).toBe('half-open');
  });

  it('releaseProbe frees a probe that ended without a verdict, so the next caller probes', () => {
    const { breaker, advance, failTimes } = setup();
    failTimes(3);
    advance(10_000);
    expect(breaker.allow()).toBe('probe');
    expect(breaker.allow()).toBe('no');
    breaker.releaseProbe();
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe('probe');
    expect(breaker.allow()).toBe('no');
  });

  it('releaseProbe outside half-open does nothing', () => {
    const { breaker, failTimes } = setup();
    breaker.releaseProbe();
    expect(breaker.allow()).toBe('yes');
    failTimes(3);
    breaker.releaseProbe();
    expect(breaker.allow()).toBe('no');
  });

  it('in half-open, a report from a request admitted earlier decides like the probe would', () => {
    const { breaker, advance, failTimes } = setup();
    failTimes(3);
    advance(10_000);
    expect(breaker.allow()).toBe('probe');
    breaker.onSuccess(); // a straggler, admitted while closed, finished fine
    expect(breaker.state).toBe('closed');
    breaker.onSuccess(); // the probe's own report afterwards is an ordinary success
    expect(breaker.state).toBe('closed');
  });

  it('the cooldown can be crossed by onFailure/onSuccess alone (no allow call in between)', () => {
    const { breaker, advance, failTimes } = setup();
    failTimes(3);
    advance(10_000);
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('listeners hear each change once, with the previous state; unsubscribe stops them', () => {
    const { breaker, changes, advance, failTimes } = setup();
    const second: CircuitState[] = [];
    const unsubscribe = breaker.onStateChange((state) => second.push(state));
    failTimes(5); // opens once; failures 4 and 5 are ignored while open
    advance(10_000);
    void breaker.state;
    void breaker.state;
    unsubscribe();
    breaker.allow();
    breaker.onSuccess();
    expect(changes).toEqual([
      ['open', 'closed'],
      ['half-open', 'open'],
      ['closed', 'half-open'],
    ]);
    expect(second).toEqual(['open', 'half-open']);
  });

  it('failureThreshold 1 opens on the first failure; cooldown 0 half-opens at once', () => {
    const { breaker } = setup({ failureThreshold: 1, cooldownMs: 0 });
    breaker.onFailure();
    expect(breaker.allow()).toBe('probe');
  });

  it('defaults: 5 failures, 30 s cooldown', () => {
    let time = 0;
    const breaker = new CircuitBreaker({ now: () => time });
    for (let i = 0; i < 4; i += 1) breaker.onFailure();
    expect(breaker.state).toBe('closed');
    breaker.onFailure();
    expect(breaker.openUntil).toBe(30_000);
    time = 30_000;
    expect(breaker.state).toBe('half-open');
  });

  it.each([{ failureThreshold: 0 }, { failureThreshold: 2.5 }, { cooldownMs: -1 }, { cooldownMs: 10, maxCooldownMs: 5 }])('rejects %j', (bad) => {
    expect(() => new CircuitBreaker(bad)).toThrow(RangeError);
  });
});
