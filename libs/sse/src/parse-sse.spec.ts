import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSse, parseSseBatches, SseParseError, type SseMessage } from './parse-sse';

const encoder = new TextEncoder();

/** Text or byte pieces as a byte stream, one chunk per piece (empty chunks included on purpose). */
async function* bytes(...pieces: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) yield typeof piece === 'string' ? encoder.encode(piece) : piece;
}

async function parse(...pieces: Array<string | Uint8Array>): Promise<SseMessage[]> {
  return collect(parseSse(bytes(...pieces)));
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '..', 'test', 'fixtures', name));

/** Same text with every LF line end replaced: the fixtures are LF, servers may send CRLF or CR. */
const withLineEnds = (buffer: Buffer, end: '\r\n' | '\r'): Uint8Array => encoder.encode(buffer.toString('utf8').replace(/\n/g, end));

/** Deterministic RNG (mulberry32) for the random re-chunking cases. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseSse: line ends', () => {
  const expected: SseMessage[] = [
    { event: 'a', data: '1' },
    { event: undefined, data: '2' },
  ];

  it('LF', async () => {
    expect(await parse('event: a\ndata: 1\n\ndata: 2\n\n')).toEqual(expected);
  });

  it('CRLF', async () => {
    expect(await parse('event: a\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n')).toEqual(expected);
  });

  it('CR only', async () => {
    expect(await parse('event: a\rdata: 1\r\rdata: 2\r\r')).toEqual(expected);
  });

  it('mixed in one stream', async () => {
    expect(await parse('event: a\r\ndata: 1\n\rdata: 2\r\n\n')).toEqual(expected);
  });

  it('a CR and its LF in different chunks are one line end, not two', async () => {
    // Two line ends would be a blank line, dispatching `a` without its data.
    expect(await parse('event: a\r', '\ndata: 1\r', '\n\r', '\n')).toEqual([{ event: 'a', data: '1' }]);
  });

  it('a CR-only stream whose last CR is the last byte still dispatches its last event', async () => {
    expect(await parse('data: 1\r\rdata: 2\r\r')).toEqual([
      { event: undefined, data: '1' },
      { event: undefined, data: '2' },
    ]);
    expect(await parse('data: 1\r', '\r')).toEqual([{ event: undefined, data: '1' }]);
  });
});

describe('parseSse: fields', () => {
  it('strips a leading BOM, even split across chunks', async () => {
    expect(await parse('\uFEFFdata: x\n\n')).toEqual([{ event: undefined, data: 'x' }]);
    expect(await parse(new Uint8Array([0xef]), new Uint8Array([0xbb, 0xbf]), 'event: e\ndata: x\n\n')).toEqual([{ event: 'e', data: 'x' }]);
  });

  it('ignores comments (llama-server pings are `:` lines)', async () => {
    expect(await parse(':\n\n: keep-alive\ndata: x\n:between\n\n')).toEqual([{ event: undefined, data: 'x' }]);
  });

  it('joins multi-line data with LF', async () => {
    expect(await parse('data: one\ndata:two\ndata:  three\n\n')).toEqual([{ event: undefined, data: 'one\ntwo\n three' }]);
  });

  it('keeps an empty data line as an empty line', async () => {
    expect(await parse('data:\ndata\ndata: x\n\n')).toEqual([{ event: undefined, data: '\n\nx' }]);
  });

  it('reads event names, and an event name applies to one event only', async () => {
    expect(await parse('event: message_start\ndata: {}\n\ndata: {}\n\nevent:\ndata: y\n\n')).toEqual([
      { event: 'message_start', data: '{}' },
      { event: undefined, data: '{}' },
      { event: undefined, data: 'y' },
    ]);
  });

  it('does not dispatch an event that has no data', async () => {
    expect(await parse('event: ping\n\nid: 7\nretry: 100\n\ndata: x\n\n')).toEqual([{ event: undefined, data: 'x' }]);
  });

  it('ignores unknown fields and id/retry', async () => {
    expect(await parse('foo: bar\nid: 3\nretry: 10\ndata: x\n\n')).toEqual([{ event: undefined, data: 'x' }]);
  });

  it('drops an unterminated last event (the spec says so; a cut stream must not look complete)', async () => {
    expect(await parse('data: 1\n\ndata: 2\n')).toEqual([{ event: undefined, data: '1' }]);
    expect(await parse('data: 1\n\ndata: 2')).toEqual([{ event: undefined, data: '1' }]);
    expect(await parse('data: 1\n\nevent: x\ndata: 2\r')).toEqual([{ event: undefined, data: '1' }]);
  });

  it('an empty body gives no events', async () => {
    expect(await parse()).toEqual([]);
    expect(await parse('', '')).toEqual([]);
  });
});

describe('parseSse: UTF-8', () => {
  const text = 'data: {"t":"héllo → 世界 😀"}\n\n';
  const all = encoder.encode(text);

  it('decodes multi-byte characters split at every byte position', async () => {
    for (let cut = 1; cut < all.length; cut++) {
      expect(await parse(all.subarray(0, cut), all.subarray(cut))).toEqual([{ event: undefined, data: '{"t":"héllo → 世界 😀"}' }]);
    }
  });

  it('decodes a stream fed one byte at a time', async () => {
    const pieces = Array.from(all, (byte) => new Uint8Array([byte]));
    expect(await parse(...pieces)).toEqual([{ event: undefined, data: '{"t":"héllo → 世界 😀"}' }]);
  });
});

describe('parseSse: real llama-server streams, re-chunked', () => {
  const chat = fixture('llama-server.chat-stream-usage.response.sse');

  it('parses the recorded chat stream into its 8 data-only events', async () => {
    const events = await parse(chat);
    expect(events).toHaveLength(8);
    expect(events.every((e) => e.event === undefined)).toBe(true);
    expect(events.at(-1)).toEqual({ event: undefined, data: '[DONE]' });
    for (const e of events.slice(0, -1)) expect(() => JSON.parse(e.data)).not.toThrow();
    expect(JSON.parse(events[6].data)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) } });
  });

  it.each([
    ['LF', (b: Buffer): Uint8Array => b],
    ['CRLF', (b: Buffer): Uint8Array => withLineEnds(b, '\r\n')],
    ['CR', (b: Buffer): Uint8Array => withLineEnds(b, '\r')],
  ])('every 2-way split of the chat stream (%s line ends) gives the same events', async (_name, encode) => {
    const all = encode(chat);
    const expected = await parse(chat);
    for (let cut = 0; cut <= all.length; cut++) {
      const events = await parse(all.subarray(0, cut), all.subarray(cut));
      if (JSON.stringify(events) !== JSON.stringify(expected)) {
        // One readable failure instead of thousands.
        expect({ cut, events }).toEqual({ cut, events: expected });
      }
    }
  });

  it('random many-way splits of the Anthropic stream give the same named events', async () => {
    const messages = fixture('llama-server.messages-stream.response.sse');
    const expected = await parse(messages);
    expect(expected.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      ...Array(expected.length - 5).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const random = rng(42);
    for (let round = 0; round < 200; round++) {
      const source = round % 2 === 0 ? messages : withLineEnds(messages, '\r\n');
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < source.length; ) {
        const size = Math.floor(random() * 40);
        pieces.push(source.subarray(at, at + size));
        at += size;
      }
      expect(await parse(...pieces)).toEqual(expected);
    }
  });
});

describe('parseSse: limits', () => {
  it('fails with SseParseError when one event outgrows maxEventSize across chunks', async () => {
    const source = bytes('data: ok\n\n', 'data: ', 'x'.repeat(60), 'x'.repeat(60), '\n\n');
    const seen: SseMessage[] = [];
    await expect(
      (async () => {
        for await (const event of parseSse(source, { maxEventSize: 100 })) seen.push(event);
      })(),
    ).rejects.toBeInstanceOf(SseParseError);
    expect(seen).toEqual([{ event: undefined, data: 'ok' }]);
  });

  it('counts multi-line data towards the limit', async () => {
    const lines = Array.from({ length: 20 }, () => `data: ${'y'.repeat(10)}\n`);
    await expect(collect(parseSse(bytes(...lines, '\n'), { maxEventSize: 100 }))).rejects.toThrow(SseParseError);
  });

  it('accepts events up to the limit', async () => {
    const data = 'z'.repeat(90);
    expect(await collect(parseSse(bytes('data: ', data, '\n\n'), { maxEventSize: 100 }))).toEqual([{ event: undefined, data }]);
  });
});

describe('parseSseBatches', () => {
  it('gives one array per read with every event that read completed, and nothing for reads that complete none', async () => {
    const batches = await collect(parseSseBatches(bytes('data: 1\n\ndata: 2\n\nda', 'ta: 3', '\n\n', '', 'data: 4\n\ndata: 5\n\n')));
    expect(batches.map((batch) => batch.map((message) => message.data))).toEqual([['1', '2'], ['3'], ['4', '5']]);
  });

  it('flattens to exactly what parseSse gives', async () => {
    const pieces = ['event: a\r\ndata: x\r', '\n\r\n: c\n\ndata: y\ndata: z\n\n', 'data: last\r'];
    expect((await collect(parseSseBatches(bytes(...pieces)))).flat()).toEqual(await parse(...pieces));
  });
});
