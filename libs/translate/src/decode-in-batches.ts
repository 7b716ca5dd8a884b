/**
 * Raw upstream stream items (SSE messages, NDJSON lines) arriving in batches, one per network
 * read, decoded into upstream events batch for batch. Reading stops after the item `isLast`
 * says ends the stream. An item that does not decode ends the stream with its error, after the
 * items before it in the same batch: text that arrived ahead of a broken frame still reaches
 * the client, as it did when items were decoded one at a time.
 */
export async function* decodeInBatches<Raw, Item>(
  batches: AsyncIterable<readonly Raw[]>,
  decode: (raw: Raw) => Item,
  isLast: (item: Item) => boolean,
): AsyncGenerator<Item[]> {
  for await (const raws of batches) {
    const items: Item[] = [];
    for (const raw of raws) {
      let item: Item;
      try {
        item = decode(raw);
      } catch (error) {
        if (items.length > 0) yield items;
        throw error;
      }
      items.push(item);
      if (isLast(item)) {
        yield items;
        return;
      }
    }
    yield items;
  }
}
