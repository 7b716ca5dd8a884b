import { SseFrameReader } from './sse-frame-reader';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const DELTA = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"é"}}\n\n';

/** For each read, whether the reader vouched that its bytes were exactly the frames it returned. */
function wholeness(chunks: readonly Buffer[]): boolean[] {
  const reader = new SseFrameReader();
  return chunks.map((chunk) => {
    const frames = reader.push(chunk);
    const whole = reader.lastReadWasWholeFrames;
    // Whenever it vouches, the bytes must decode to the frames' text exactly.
    if (whole) expect(frames.map((frame) => frame.raw).join('')).toBe(chunk.toString('utf8'));
    return whole;
  });
}

describe('SseFrameReader.lastReadWasWholeFrames', () => {
  it('vouches for reads of whole frames', () => {
    expect(wholeness([bytes(DELTA), bytes(DELTA + DELTA)])).toEqual([true, true]);
  });

  it('never vouches for a read that ends or starts inside a frame', () => {
    const half = DELTA.length / 2;
    expect(wholeness([bytes(DELTA.slice(0, half)), bytes(DELTA.slice(half)), bytes(DELTA)])).toEqual([false, false, true]);
    expect(wholeness([bytes(DELTA + DELTA.slice(0, 10)), bytes(DELTA.slice(10))])).toEqual([false, false]);
  });

  it('never vouches across a character split between reads, at any byte', () => {
    const all = bytes(DELTA + DELTA);
    for (let at = 1; at < all.length; at++) {
      const reads = wholeness([all.subarray(0, at), all.subarray(at)]);
      // Only a split exactly between the two frames leaves both reads whole.
      expect(reads).toEqual(at === bytes(DELTA).length ? [true, true] : [false, false]);
    }
  });

  it('does not vouch for a first read that starts with a byte order mark (the text drops it)', () => {
    expect(wholeness([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(DELTA)]), bytes(DELTA)])).toEqual([false, true]);
  });

  it('does not vouch for a read that completes no frame, or ends with a lone CR', () => {
    expect(wholeness([bytes(': ping\n'), bytes('\n'), bytes(DELTA)])).toEqual([false, false, true]);
    expect(wholeness([bytes('data: x\r\r'), bytes(DELTA)])).toEqual([false, false]);
  });
});
