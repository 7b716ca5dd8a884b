import { drainOnEarlyReturn } from './drain-on-early-return';

describe('drainOnEarlyReturn', () => {
  it('passes every value through when consumed to the end', async () => {
    const seen: number[] = [];
    async function* three() {
      yield* [1, 2, 3];
    }
    for await (const value of drainOnEarlyReturn(three())) seen.push(value);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('keeps reading the source after the consumer stops early', async () => {
    const produced: number[] = [];
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    async function* source() {
      for (let i = 0; i < 5; i++) {
        produced.push(i);
        yield i;
      }
      ended();
    }
    for await (const value of drainOnEarlyReturn(source())) if (value === 1) break;
    await done;
    expect(produced).toEqual([0, 1, 2, 3, 4]);
  });

  it('a source failure while draining is swallowed; one while consumed is thrown', async () => {
    async function* failing() {
      yield 1;
      throw new Error('cut');
    }
    for await (const value of drainOnEarlyReturn(failing())) if (value === 1) break;
    await expect((async () => {
      for await (const _ of drainOnEarlyReturn(failing()));
    })()).rejects.toThrow('cut');
  });
});
