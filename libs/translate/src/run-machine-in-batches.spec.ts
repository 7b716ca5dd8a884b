import { runMachineInBatches, type StreamMachine } from './translator';

/** Doubles each number; throws on a negative one, like a machine meeting a broken upstream event. */
function doubler(): StreamMachine<number, number> {
  return {
    push: (event) => {
      if (event < 0) throw new Error(`broken event ${event}`);
      return [event, event];
    },
    end: () => [0],
    usage: undefined,
    stopReason: null,
  };
}

async function* batches(...items: number[][]): AsyncGenerator<readonly number[]> {
  yield* items;
}

describe('runMachineInBatches', () => {
  it('turns each input batch into one output batch, then the closing events', async () => {
    const out: Array<readonly number[]> = [];
    for await (const batch of runMachineInBatches(doubler(), batches([1], [2, 3], []))) out.push(batch);
    expect(out).toEqual([[1, 1], [2, 2, 3, 3], [], [0]]);
  });

  it('when an event in the middle of a batch breaks the machine, what came before it is yielded first', async () => {
    const out: Array<readonly number[]> = [];
    const run = async () => {
      for await (const batch of runMachineInBatches(doubler(), batches([1, 2, -1, 3]))) out.push(batch);
    };
    await expect(run()).rejects.toThrow('broken event -1');
    expect(out).toEqual([[1, 1, 2, 2]]);
  });
});
