import { NdjsonParseError, parseNdjsonBatches, parseNdjsonLines } from './parse-ndjson';

const encoder = new TextEncoder();

async function* bytes(...pieces: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) yield typeof piece === 'string' ? encoder.encode(piece) : piece;
}

async function lines(...pieces: Array<string | Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of parseNdjsonLines(bytes(...pieces))) out.push(line);
  return out;
}

// Synthetic Ollama /api/chat stream (docs/protocol.md §8.3): one JSON object per line, the last with done:true.
const OLLAMA_STREAM = [
  { model: 'qwen3:0.6b', created_at: '2026-11-22T10:00:00Z', message: { role: 'assistant', content: '', thinking: 'Hmm' }, done: false },
  { model: 'qwen3:0.6b', created_at: '2026-11-22T10:00:00Z', message: { role: 'assistant', content: 'Grüße → 世界 😀' }, done: false },
  {
    model: 'qwen3:0.6b',
    created_at: '2026-11-22T10:00:01Z',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    prompt_eval_count: 12,
    eval_count: 3,
  },
]
  .map((object) => JSON.stringify(object))
  .join('\n')
  .concat('\n');

describe('parseNdjsonLines', () => {
  it('splits LF-delimited lines', async () => {
    expect(await lines('{"a":1}\n{"b":2}\n')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('accepts CRLF and strips the CR', async () => {
    expect(await lines('{"a":1}\r\n{"b":2}\r\n')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('treats a CR and its LF in different chunks as one line end', async () => {
    expect(await lines('{"a":1}\r', '\n{"b":2}\r', '\n')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('skips blank and whitespace-only lines', async () => {
    expect(await lines('\n{"a":1}\n\n  \n\t\r\n{"b":2}\n\n')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('yields a last line that has no newline (Ollama ends with one, others may not)', async () => {
    expect(await lines('{"a":1}\n{"b":2}')).toEqual(['{"a":1}', '{"b":2}']);
    expect(await lines('{"a":1}\n{"b":2}\r')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('returns lines as text, even ones that are not JSON: decoding is the translator’s job', async () => {
    expect(await lines('{"a":1}\nnot json\n{"b":')).toEqual(['{"a":1}', 'not json', '{"b":']);
  });

  it('strips a leading BOM', async () => {
    expect(await lines(new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf]), '{"a":1}\n')).toEqual(['{"a":1}']);
  });

  it('an empty body gives no lines', async () => {
    expect(await lines()).toEqual([]);
    expect(await lines('', '\n', '')).toEqual([]);
  });

  it('every 2-way split of an Ollama stream (including inside multi-byte characters) gives the same lines', async () => {
    const all = encoder.encode(OLLAMA_STREAM);
    const expected = OLLAMA_STREAM.trimEnd().split('\n');
    expect(expected.map((line) => JSON.parse(line) as unknown)).toHaveLength(3);
    for (let cut = 0; cut <= all.length; cut++) {
      const got = await lines(all.subarray(0, cut), all.subarray(cut));
      if (JSON.stringify(got) !== JSON.stringify(expected)) expect({ cut, got }).toEqual({ cut, got: expected });
    }
  });

  it('a stream fed one byte at a time gives the same lines', async () => {
    const pieces = Array.from(encoder.encode(OLLAMA_STREAM), (byte) => new Uint8Array([byte]));
    expect(await lines(...pieces)).toEqual(OLLAMA_STREAM.trimEnd().split('\n'));
  });

  it('fails with NdjsonParseError when one line outgrows maxLineSize across chunks', async () => {
    const seen: string[] = [];
    const run = async (): Promise<void> => {
      const source = bytes('{"ok":true}\n', '{"x":"', 'x'.repeat(60), 'x'.repeat(60));
      for await (const line of parseNdjsonLines(source, { maxLineSize: 100 })) seen.push(line);
    };
    await expect(run()).rejects.toBeInstanceOf(NdjsonParseError);
    expect(seen).toEqual(['{"ok":true}']);
  });

  it('accepts a line up to maxLineSize, however it is chunked', async () => {
    const line = `{"x":"${'y'.repeat(80)}"}`;
    const out: string[] = [];
    for await (const got of parseNdjsonLines(bytes(...line.match(/.{1,7}/g)!, '\n'), { maxLineSize: 100 })) out.push(got);
    expect(out).toEqual([line]);
  });
});

describe('parseNdjsonBatches', () => {
  it('gives one array per read, and the complete lines before an oversized one before failing', async () => {
    const seen: string[][] = [];
    const run = async () => {
      for await (const batch of parseNdjsonBatches(bytes('{"a":1}\n{"b"', ':2}\r\n\n{"c":3}\n', '{"d":4}\n0123456789ABCDEF'), { maxLineSize: 8 })) seen.push(batch);
    };
    await expect(run()).rejects.toBeInstanceOf(NdjsonParseError);
    expect(seen).toEqual([['{"a":1}'], ['{"b":2}', '{"c":3}'], ['{"d":4}']]);
  });
});
