import { GatewayError } from '@turnout/errors';
import { guardedBody } from './guarded-body';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const value of source) seen.push(value);
  return seen;
}

const bytes = (...values: number[]): Uint8Array[] => values.map((value) => Uint8Array.of(value));

describe('guardedBody', () => {
  it('passes every chunk through and reports the end once', async () => {
    let ends = 0;
    async function* three() {
      yield* bytes(1, 2, 3);
    }
    const seen = await collect(guardedBody(three(), { onEnd: () => ends++ }));
    expect(seen.map((chunk) => chunk[0])).toEqual([1, 2, 3]);
    expect(ends).toBe(1);
  });

  it('classifies a read failure as a GatewayError and reports the end', async () => {
    let ends = 0;
    async function* reset() {
      yield Uint8Array.of(1);
      throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    }
    const failure = await collect(guardedBody(reset(), { onEnd: () => ends++ })).catch((error: unknown) => error);
    expect(GatewayError.is(failure)).toBe(true);
    expect((failure as GatewayError).code).toBe('GW_UPSTREAM_STREAM_ENDED');
    expect(ends).toBe(1);
  });

  it('keeps a GatewayError the source threw as it is', async () => {
    const own = new GatewayError('GW_UPSTREAM_PROTOCOL', { message: 'ours' });
    async function* failing(): AsyncGenerator<Uint8Array> {
      throw own;
    }
    await expect(collect(guardedBody(failing()))).rejects.toBe(own);
  });

  it('releases the source when the consumer stops early, and reports the end', async () => {
    let released = false;
    let ends = 0;
    async function* source() {
      try {
        yield* bytes(0, 1, 2, 3);
      } finally {
        released = true;
      }
    }
    for await (const chunk of guardedBody(source(), { onEnd: () => ends++ })) if (chunk[0] === 1) break;
    expect(released).toBe(true);
    expect(ends).toBe(1);
  });

  it('with drainOnEarlyReturn, keeps reading the source after the consumer stops early', async () => {
    const produced: number[] = [];
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    async function* source() {
      for (let i = 0; i < 5; i++) {
        produced.push(i);
        yield Uint8Array.of(i);
      }
      ended();
    }
    for await (const chunk of guardedBody(source(), { drainOnEarlyReturn: true })) if (chunk[0] === 1) break;
    await done;
    expect(produced).toEqual([0, 1, 2, 3, 4]);
  });

  it('a failure while draining is swallowed; one while consumed is thrown', async () => {
    async function* failing() {
      yield Uint8Array.of(1);
      throw new Error('cut');
    }
    for await (const chunk of guardedBody(failing(), { drainOnEarlyReturn: true })) if (chunk[0] === 1) break;
    await expect(collect(guardedBody(failing(), { drainOnEarlyReturn: true }))).rejects.toBeInstanceOf(GatewayError);
  });
});
