import { rewriteMessageStartModel } from './message-start-model';

async function collect(chunks: readonly string[], model: string): Promise<string> {
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
  }
  const out: Buffer[] = [];
  for await (const chunk of rewriteMessageStartModel(source(), model)) out.push(Buffer.from(chunk));
  return Buffer.concat(out).toString('utf8');
}

const START = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"qwen3-coder","content":[],"stop_reason":null}}\n\n';
const REST = 'event: ping\ndata: {"type":"ping"}\n\nevent: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"model: \\"qwen3-coder\\""}}\n\n';

describe('rewriteMessageStartModel', () => {
  it('renames the model in message_start only and leaves every other byte alone', async () => {
    const out = await collect([START, REST], 'claude-sonnet-4-6');
    expect(out).toBe(START.replace('"model":"qwen3-coder"', '"model":"claude-sonnet-4-6"') + REST);
  });

  it('gives the same bytes whatever the chunking, including splits inside the first event', async () => {
    const whole = START + REST;
    const expected = await collect([whole], 'claude-x');
    for (let cut = 1; cut < whole.length; cut += 7) {
      expect(await collect([whole.slice(0, cut), whole.slice(cut)], 'claude-x')).toBe(expected);
    }
  });

  it('handles CRLF framing, spaces around the colon and escaped quotes in the old name', async () => {
    const start = 'event: message_start\r\ndata: {"type": "message_start", "message": {"id": "m", "model" : "a\\"b", "content": []}}\r\n\r\n';
    const out = await collect([start, 'event: ping\r\ndata: {}\r\n\r\n'], 'claude-y');
    expect(out).toBe('event: message_start\r\ndata: {"type": "message_start", "message": {"id": "m", "model" : "claude-y", "content": []}}\r\n\r\nevent: ping\r\ndata: {}\r\n\r\n');
  });

  it('never touches a "model" that appears only inside a string value', async () => {
    const start = 'event: message_start\ndata: {"type":"message_start","message":{"id":"x,\\"model\\":\\"inner\\"","content":[]}}\n\n';
    expect(await collect([start], 'claude-z')).toBe(start);
  });

  it('passes a first event that is not message_start through untouched', async () => {
    const error = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"model busy"},"model":"m"}\n\n';
    expect(await collect([error], 'claude-z')).toBe(error);
  });

  it('releases the held bytes when no event ends within 64 KiB, and at the end of the body', async () => {
    const long = `data: ${'x'.repeat(70 * 1024)}`;
    expect(await collect([long.slice(0, 40_000), long.slice(40_000)], 'm')).toBe(long);
    expect(await collect(['event: message_start\ndata: {"model":"a"}'], 'm')).toBe('event: message_start\ndata: {"model":"a"}');
  });
});
