import { ChunkShapeCache } from '../../src/anthropic-openai-chat/chunk-shape-cache';

/** What the cache must always agree with: JSON.parse's value, or its throwing. */
function outcome(parse: () => unknown): { value?: unknown; threw?: boolean } {
  try {
    return { value: parse() };
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return { threw: true };
  }
}

function agree(cache: ChunkShapeCache, frame: string): unknown {
  const expected = outcome(() => JSON.parse(frame));
  const actual = outcome(() => cache.parse(frame));
  expect(actual).toEqual(expected);
  return actual.value;
}

// llama-server's framing, with a nested object that a reused frame shares with the remembered one.
const llama = (content: string, created = 1) =>
  `{"choices":[{"finish_reason":null,"index":0,"delta":{"content":${content}}}],"created":${created},"id":"chatcmpl-x","model":"m","system_fingerprint":"b1","object":"chat.completion.chunk","x_meta":{"n":1}}`;

describe('ChunkShapeCache', () => {
  it('reuses the remembered frame for the next token and equals JSON.parse for each', () => {
    const cache = new ChunkShapeCache();
    const texts = ['Hel', 'lo', '', ' wörld 😀', 'a "quoted" \\ back\nslash\t', '\u0000\u001f', 'content":"x', '\ud800 lone', '}]},{'];
    const values = texts.map((text) => agree(cache, llama(JSON.stringify(text)))) as Array<{ x_meta: unknown; choices: Array<{ delta: { content: string } }> }>;
    expect(values.map((value) => value.choices[0].delta.content)).toEqual(texts);
    // Reused frames share what did not change: proof that the parse was skipped, not repeated.
    expect(values[2].x_meta).toBe(values[0].x_meta);
    expect(values[8].x_meta).toBe(values[0].x_meta);
    // ...and never share what a caller could tell apart between tokens.
    expect(values[2].choices).not.toBe(values[1].choices);
    expect(values[2].choices[0].delta).not.toBe(values[1].choices[0].delta);
  });

  it('parses in full when the text around the content changes (a new second, another shape)', () => {
    const cache = new ChunkShapeCache();
    const first = agree(cache, llama('"a"', 1)) as { x_meta: unknown };
    const nextSecond = agree(cache, llama('"b"', 2)) as { x_meta: unknown };
    expect(nextSecond.x_meta).not.toBe(first.x_meta);
    agree(cache, '{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}');
    agree(cache, '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1}}');
    agree(cache, llama('"c"', 2));
  });

  it('throws as JSON.parse does when a frame of the same shape carries a broken string', () => {
    const cache = new ChunkShapeCache();
    agree(cache, llama('"ok"'));
    agree(cache, llama('"ok"'));
    for (const broken of ['"raw\nline"', '"bad \\x escape"', '"unterminated \\"', '"ctrl \u0001"', '"a","b"', '"a" "b"', '""""', '"\\ud800\\"']) {
      agree(cache, llama(broken));
    }
    // A token that is two strings with JSON between them parses (to another structure): still equal.
    const other = agree(cache, llama('"a"},"extra":{"content":"b"')) as Record<string, unknown>;
    expect(other).toBeDefined();
  });

  it('does not reuse when the first "content" key is not choices[0].delta.content', () => {
    const cache = new ChunkShapeCache();
    const frame = (meta: string) => `{"meta":{"content":${meta}},"choices":[{"delta":{"content":"fixed"}}]}`;
    agree(cache, frame('"one"'));
    const second = agree(cache, frame('"two"')) as { meta: { content: string }; choices: Array<{ delta: { content: string } }> };
    expect(second.meta.content).toBe('two');
    expect(second.choices[0].delta.content).toBe('fixed');
    agree(cache, frame('"three"'));
  });

  it('agrees with JSON.parse on random token streams, valid and broken (seeded)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['a', ' ', '"', '\\', '\n', '\u0001', 'é', '😀', '\ud800', 'u', '/', '}', ',', ':', 'content'];
    for (let stream = 0; stream < 200; stream++) {
      const cache = new ChunkShapeCache();
      for (let token = 0; token < 20; token++) {
        let text = '';
        const length = Math.floor(random() * 6);
        for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
        // Mostly what a server sends (a JSON string); sometimes the raw text, often invalid.
        const encoded = random() < 0.8 ? JSON.stringify(text) : `"${text}"`;
        agree(cache, llama(encoded, random() < 0.1 ? 2 : 1));
      }
    }
  });
});
