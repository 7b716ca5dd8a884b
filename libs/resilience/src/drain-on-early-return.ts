/**
 * Passes a body through; if the consumer stops early (the client left), keeps reading the
 * source to its end in the background and drops it. For `on_disconnect: drain` providers: a
 * server that mishandles a cut connection finishes its generation normally instead.
 */
export async function* drainOnEarlyReturn<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    if (!finished) {
      void (async () => {
        try {
          while (!(await iterator.next()).done);
        } catch {
          // The upstream failed while nobody was listening: nothing to report to.
        }
      })();
    }
  }
}
