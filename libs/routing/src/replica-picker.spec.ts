import { validateConfig } from '@turnout/config';
import { pickReplica } from './replica-picker';

const route = (balance: 'weighted' | 'least-in-flight') =>
  validateConfig({
    providers: ['a', 'b', 'c'].map((id) => ({ id, kind: 'llama-cpp', base_url: `http://${id}:1` })),
    routes: [{ match: '*', targets: [{ provider: 'a', weight: 3 }, { provider: 'b', weight: 1 }, { provider: 'c', weight: 1 }], balance }],
  }).routes[0]!;

const up = (inFlight = 0) => ({ available: true, inFlight });
const down = { available: false, inFlight: 0 };

describe('pickReplica', () => {
  it('keeps a session on its replica while it is available, and says why', () => {
    expect(pickReplica(route('weighted'), [up(), up(), up()], 2)).toEqual({ index: 2, why: "session affinity: this session's replica (#2)" });
  });

  it('moves a session whose replica is down, and says so', () => {
    const choice = pickReplica(route('weighted'), [up(), up(), down], 2, () => 0);
    expect(choice.index).toBe(0);
    expect(choice.why).toContain('its session replica #2 is unavailable');
  });

  it('weighted: picks in proportion to the weights', () => {
    const counts = [0, 0, 0];
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 5_000; i++) counts[pickReplica(route('weighted'), [up(), up(), up()], undefined, random).index]! += 1;
    expect(counts[0]! / 5_000).toBeGreaterThan(0.55);
    expect(counts[0]! / 5_000).toBeLessThan(0.65);
    expect(counts[1]! / 5_000).toBeGreaterThan(0.15);
  });

  it('least-in-flight: the least busy available replica', () => {
    expect(pickReplica(route('least-in-flight'), [up(4), up(1), up(2)], undefined).index).toBe(1);
    expect(pickReplica(route('least-in-flight'), [up(4), down, up(2)], undefined).index).toBe(2);
  });

  it('all down: one is still chosen by weight (it fails fast, and the fallbacks follow)', () => {
    expect(pickReplica(route('weighted'), [down, down, down], undefined, () => 0.99).index).toBe(2);
  });
});
