import { Utf8StreamDecoder } from './utf8-stream-decoder';

/** The reference: WHATWG TextDecoder in streaming mode, what SseFrameReader used before. */
function streaming(reads: readonly Uint8Array[]): string {
  const decoder = new TextDecoder('utf-8');
  return reads.map((read) => decoder.decode(read, { stream: true })).join('') + decoder.decode();
}

function ours(reads: readonly Uint8Array[]): string {
  const decoder = new Utf8StreamDecoder();
  return reads.map((read) => decoder.decode(read)).join('') + decoder.end();
}

function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const reads: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reads.push(bytes.subarray(from, cut));
    from = cut;
  }
  reads.push(bytes.subarray(from));
  return reads;
}

describe('Utf8StreamDecoder', () => {
  it('decodes a character split anywhere between reads', () => {
    const bytes = Buffer.from('aé€😀z', 'utf8');
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) expect(ours(splitAt(bytes, [a, b]))).toBe('aé€😀z');
    }
  });

  it('drops one leading byte order mark, even split, and keeps any later one', () => {
    const bytes = Buffer.from('\uFEFF\uFEFFx', 'utf8');
    for (let cut = 0; cut <= bytes.length; cut++) expect(ours(splitAt(bytes, [cut]))).toBe('\uFEFFx');
    expect(ours([Buffer.from('x'), Buffer.from('\uFEFFy')])).toBe('x\uFEFFy');
  });

  it('ends an incomplete last character with U+FFFD', () => {
    expect(ours([Buffer.from([0x61, 0xf0, 0x9f])])).toBe(streaming([Buffer.from([0x61, 0xf0, 0x9f])]));
  });

  it('does not keep a reference to the read it holds bytes of (the caller may reuse it)', () => {
    const decoder = new Utf8StreamDecoder();
    const read = Buffer.from([0x61, 0xe2, 0x82]);
    expect(decoder.decode(read)).toBe('a');
    read.fill(0x41);
    expect(decoder.decode(Buffer.from([0xac]))).toBe('€');
  });

  it('agrees with the streaming TextDecoder on random bytes, valid and broken, split at random (seeded)', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = [[0x61], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xef, 0xbb, 0xbf], [0x80], [0xbf], [0xc0], [0xc1], [0xe0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90], [0xf5], [0xf8], [0xff], [0xe2], [0xf0, 0x9f]];
    for (let round = 0; round < 3000; round++) {
      const bytes: number[] = [];
      const count = Math.floor(random() * 12);
      for (let i = 0; i < count; i++) bytes.push(...(pieces[Math.floor(random() * pieces.length)] as number[]));
      const whole = Uint8Array.from(bytes);
      const cuts = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * (whole.length + 1)));
      const reads = splitAt(whole, cuts);
      expect(ours(reads)).toBe(streaming(reads));
    }
  });
});
