import { fromChunks, mulberry32, rechunk } from './rechunk';

const concat = (chunks: Uint8Array[]): Buffer => Buffer.concat(chunks);
const cutPositions = (chunks: Uint8Array[]): number[] => {
  const cuts: number[] = [];
  let at = 0;
  for (const chunk of chunks.slice(0, -1)) cuts.push((at += chunk.length));
  return cuts;
};

describe('rechunk', () => {
  const text = Buffer.from('data: {"content":"héllo ✓ 😀"}\r\n\r\ndata: [DONE]\r\n\r\n', 'utf8');

  it('loses and reorders nothing', () => {
    for (let seed = 1; seed <= 50; seed++) expect(concat(rechunk(text, seed)).equals(text)).toBe(true);
  });

  it('is deterministic per seed and differs across seeds', () => {
    expect(cutPositions(rechunk(text, 7))).toEqual(cutPositions(rechunk(text, 7)));
    const distinct = new Set(Array.from({ length: 20 }, (_, seed) => cutPositions(rechunk(text, seed)).join(',')));
    expect(distinct.size).toBeGreaterThan(10);
  });

  it('always cuts inside a multi-byte character and between \\r and \\n', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const cuts = cutPositions(rechunk(text, seed, { maxChunkSize: 1000 }));
      expect(cuts.some((at) => (text[at] & 0xc0) === 0x80)).toBe(true);
      expect(cuts.some((at) => text[at - 1] === 0x0d && text[at] === 0x0a)).toBe(true);
    }
  });

  it('never yields an empty chunk and respects maxChunkSize for random cuts', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const chunks = rechunk(text, seed, { maxChunkSize: 4 });
      expect(chunks.every((chunk) => chunk.length > 0 && chunk.length <= 4)).toBe(true);
    }
  });

  it('handles tiny inputs', () => {
    expect(rechunk(Buffer.alloc(0), 1).map((c) => c.length)).toEqual([0]);
    expect(concat(rechunk(Buffer.from('x'), 1)).toString()).toBe('x');
  });

  it('replays chunks as an async source', async () => {
    const seen: number[] = [];
    for await (const chunk of fromChunks(rechunk(text, 3))) seen.push(chunk.length);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(text.length);
  });

  it('mulberry32 is seeded and uniform-ish', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(values.reduce((s, v) => s + v, 0) / values.length).toBeCloseTo(0.5, 1);
  });
});
