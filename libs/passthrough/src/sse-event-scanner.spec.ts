import { SseEventScanner } from './sse-event-scanner';

interface Seen {
  readonly name: string | undefined;
  readonly data: string | undefined;
}

function scan(chunks: readonly (string | Uint8Array)[], options: { maxEventBytes?: number; wants?: (name: string | undefined) => boolean } = {}): Seen[] {
  const seen: Seen[] = [];
  const scanner = new SseEventScanner({
    maxEventBytes: options.maxEventBytes ?? 1024,
    wantsData: options.wants ?? (() => true),
    onEvent: (name, data) => seen.push({ name, data: data?.toString('utf8') }),
  });
  for (const chunk of chunks) scanner.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return seen;
}

/** Every way to cut the text in two must give the same events. */
function everySplit(text: string, options?: Parameters<typeof scan>[1]): Seen[] {
  const bytes = Buffer.from(text, 'utf8');
  const whole = scan([bytes], options);
  for (let at = 0; at <= bytes.length; at++) expect(scan([bytes.subarray(0, at), bytes.subarray(at)], options)).toEqual(whole);
  return whole;
}

describe('SseEventScanner', () => {
  it('dispatches named events on a blank line, with LF, CRLF and CR line ends', () => {
    for (const end of ['\n', '\r\n', '\r']) {
      const text = ['event: a', 'data: 1', '', 'event: b', 'data: 2', '', ''].join(end);
      expect(everySplit(text)).toEqual([
        { name: 'a', data: '1' },
        { name: 'b', data: '2' },
      ]);
    }
  });

  it('joins multi-line data with \\n and strips one optional space', () => {
    expect(everySplit('data:  two spaces\ndata:none\ndata\ndata: \n\n')).toEqual([{ name: undefined, data: ' two spaces\nnone\n\n' }]);
  });

  it('ignores comments, id, retry and unknown fields, and needs a data line to dispatch', () => {
    expect(everySplit(': ping\n\nevent: x\n\nid: 7\nretry: 10\nfoo: bar\nevent: y\ndata: z\n\n')).toEqual([{ name: 'y', data: 'z' }]);
  });

  it('takes the last event line of an event, and an event line without a colon names the empty event', () => {
    expect(everySplit('event: a\nevent: b\ndata: 1\n\nevent\ndata: 2\n\n')).toEqual([
      { name: 'b', data: '1' },
      { name: '', data: '2' },
    ]);
  });

  it('skips a leading BOM only at the start of the stream', () => {
    expect(everySplit('\ufeffevent: a\ndata: 1\n\n\ufeffevent: b\ndata: 2\n\n')).toEqual([{ name: 'a', data: '1' }, { name: undefined, data: '2' }]);
  });

  it('decodes UTF-8 event names and data split anywhere', () => {
    expect(everySplit('event: évent\ndata: 日本 🎉\n\n')).toEqual([{ name: 'évent', data: '日本 🎉' }]);
  });

  it('does not hand over data the reader does not want', () => {
    const wants = (name: string | undefined): boolean => name === 'keep';
    expect(everySplit('event: skip\ndata: big\n\nevent: keep\ndata: small\n\ndata: anonymous\n\n', { wants })).toEqual([
      { name: 'skip', data: undefined },
      { name: 'keep', data: 'small' },
      { name: undefined, data: undefined },
    ]);
  });

  it('drops the data of an event over the cap, and reads the next event', () => {
    expect(everySplit(`event: a\ndata: ${'x'.repeat(20)}\ndata: y\n\nevent: b\ndata: ok\n\n`, { maxEventBytes: 16 })).toEqual([
      { name: 'a', data: undefined },
      { name: 'b', data: 'ok' },
    ]);
    // Exactly at the cap is still read (the joining \n counts).
    expect(scan(['data: 12345678\ndata: 1234567\n\n'], { maxEventBytes: 16 })).toEqual([{ name: undefined, data: '12345678\n1234567' }]);
  });

  it('caps event names too', () => {
    expect(scan([`event: ${'n'.repeat(300)}\ndata: 1\n\n`])).toEqual([{ name: '\u0000too-long', data: '1' }]);
  });

  it('drops an unterminated last event', () => {
    expect(scan(['event: a\ndata: 1\n'])).toEqual([]);
    expect(scan(['event: a\ndata: 1'])).toEqual([]);
  });

  it('counts a CR at the end of one chunk and an LF at the start of the next as one line end', () => {
    expect(scan(['event: a\r', '\ndata: 1\r', '\n\r', '\n'])).toEqual([{ name: 'a', data: '1' }]);
    expect(scan(['event: a\r', '', '\ndata: 1\r\r'])).toEqual([{ name: 'a', data: '1' }]);
  });

  it('reads plain Uint8Array chunks as well as Buffers', () => {
    expect(scan([new TextEncoder().encode('event: a\ndata: 1\n\n')])).toEqual([{ name: 'a', data: '1' }]);
  });
});
