import { SseFrameReader } from '@turnout/sse';
import { isContentDeltaFrame } from './content-delta-frame';

const frame = (text: string) => new SseFrameReader().push(Buffer.from(text))[0];

describe('isContentDeltaFrame', () => {
  it('recognizes a content_block_delta frame as servers write it, and agrees with the exact name', () => {
    const delta = frame('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}\n\n');
    expect(isContentDeltaFrame(delta.raw)).toBe(true);
    expect(delta.eventName).toBe('content_block_delta');
  });

  it.each([
    ['another event', 'event: content_block_start\ndata: {}\n\n'],
    ['message_delta', 'event: message_delta\ndata: {"type":"message_delta"}\n\n'],
    ['no space after the colon', 'event:content_block_delta\ndata: {}\n\n'],
    ['CRLF line ends', 'event: content_block_delta\r\ndata: {}\r\n\r\n'],
    ['no data line right after', 'event: content_block_delta\nid: 1\ndata: {}\n\n'],
    ['a data-only frame', 'data: {"type":"content_block_delta"}\n\n'],
    ['a short frame', 'event: c\n\n'],
  ])('leaves %s to the exact reading of the name', (_name, text) => {
    expect(isContentDeltaFrame(frame(text).raw)).toBe(false);
  });
});
