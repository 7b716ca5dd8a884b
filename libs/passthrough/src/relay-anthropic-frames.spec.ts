import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '@turnout/errors';
import { rechunk } from '@turnout/testing';
import { AnthropicSseTap } from './anthropic-sse-tap';
import { relayAnthropicFrames } from './relay-anthropic-frames';

const LLAMA = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'llama-server');
const llama = (name: string): Buffer => readFileSync(join(LLAMA, name));

interface Relayed {
  readonly writes: string[];
  readonly error: GatewayError | undefined;
  readonly tap: AnthropicSseTap;
}

const asText = (frames: string | Uint8Array): string => (typeof frames === 'string' ? frames : Buffer.from(frames).toString('utf8'));

async function relay(chunks: readonly (string | Uint8Array)[], rename?: string): Promise<Relayed> {
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  }
  const tap = new AnthropicSseTap();
  const writes: string[] = [];
  let error: GatewayError | undefined;
  try {
    for await (const frames of relayAnthropicFrames(body(), { tap, rename })) writes.push(asText(frames));
  } catch (caught) {
    if (!(caught instanceof GatewayError)) throw caught;
    error = caught;
  }
  return { writes, error, tap };
}

/** Every write the client gets is whole frames: it ends at a blank line. */
function expectWholeFrames(writes: readonly string[]): void {
  for (const write of writes) expect(write).toMatch(/(\r\n\r\n|\n\n|\r\r)$/);
}

const START = 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"qwen3-coder","content":[],"stop_reason":null}}\n\n';
const BLOCK = 'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"model: \\"qwen3-coder\\""}}\n\n';
const DELTA = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}\n\n';
const END = 'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":1}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
const WHOLE = START + BLOCK + DELTA + END;

describe('relayAnthropicFrames', () => {
  it('relays a real llama-server stream byte for byte, in whole frames, whatever the chunking', async () => {
    const bytes = llama('messages-stream.response.sse');
    for (let seed = 1; seed <= 30; seed++) {
      const out = await relay(rechunk(bytes, seed, { maxChunkSize: 1 + (seed % 9) * 11 }));
      expect(out.error).toBeUndefined();
      expectWholeFrames(out.writes);
      expect(out.writes.join('')).toBe(bytes.toString('utf8'));
      expect(out.tap.sawMessageStop).toBe(true);
    }
  });

  it('forwards the upstream\'s own bytes for reads of whole frames it does not edit, text otherwise', async () => {
    const chunks = [Buffer.from(START), Buffer.from(DELTA + DELTA), Buffer.from(DELTA.slice(0, 9)), Buffer.from(DELTA.slice(9) + END)];
    async function* body(): AsyncGenerator<Uint8Array> {
      yield* chunks;
    }
    const writes: (string | Uint8Array)[] = [];
    for await (const frames of relayAnthropicFrames(body(), { tap: new AnthropicSseTap(), rename: 'claude-x' })) writes.push(frames);
    expect(typeof writes[0]).toBe('string'); // message_start renamed
    expect(writes[1]).toBe(chunks[1]); // the same buffer, not a copy
    expect(writes[2]).toBe(DELTA + END); // completes a frame begun in the read before: text
    expect(writes).toHaveLength(3);
  });

  it('renames the model in message_start only and leaves every other byte alone', async () => {
    const out = await relay([WHOLE], 'claude-sonnet-4-6');
    expect(out.writes.join('')).toBe(WHOLE.replace('"model":"qwen3-coder"', '"model":"claude-sonnet-4-6"'));
  });

  it('renames the same way for every split inside the first event', async () => {
    const expected = (await relay([WHOLE], 'claude-x')).writes.join('');
    for (let cut = 1; cut < START.length + 10; cut += 5) {
      expect((await relay([WHOLE.slice(0, cut), WHOLE.slice(cut)], 'claude-x')).writes.join('')).toBe(expected);
    }
  });

  it('handles CRLF framing, spaces around the colon and escaped quotes in the old name', async () => {
    const start = 'event: message_start\r\ndata: {"type": "message_start", "message": {"id": "m", "model" : "a\\"b", "content": []}}\r\n\r\n';
    const out = await relay([start, 'event: message_stop\r\ndata: {"type":"message_stop"}\r\n\r\n'], 'claude-y');
    expect(out.writes.join('')).toContain('"model" : "claude-y"');
    expect(out.error).toBeUndefined();
  });

  it('never touches a "model" that appears only inside a string value', async () => {
    const start = 'event: message_start\ndata: {"type":"message_start","message":{"id":"x,\\"model\\":\\"inner\\"","content":[]}}\n\n';
    const out = await relay([start, 'event: message_stop\ndata: {"type":"message_stop"}\n\n'], 'claude-z');
    expect(out.writes[0]).toBe(start);
  });

  it('turns llama.cpp\'s own mid-stream error event into a GatewayError after the frames before it', async () => {
    const bytes = llama('messages-error-midstream.response.sse');
    const out = await relay([bytes]);
    expectWholeFrames(out.writes);
    expect(out.writes.join('')).not.toContain('event: error');
    expect(out.error?.anthropicType).toBe('api_error');
    expect(out.error?.message).toContain('does not match the expected peg-native format');
  });

  it('keeps an Anthropic-shaped upstream error event\'s type (overloaded stays overloaded)', async () => {
    const out = await relay([START, 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n']);
    expect(out.writes.join('')).toBe(START);
    expect(out.error?.anthropicType).toBe('overloaded_error');
    expect(out.error?.message).toBe('Overloaded');
  });

  it('never forwards half a frame when the upstream stops mid-frame', async () => {
    const cut = WHOLE.indexOf('"text":"hi"');
    const out = await relay([WHOLE.slice(0, cut)]);
    expectWholeFrames(out.writes);
    expect(out.writes.join('')).toBe(START + BLOCK);
    expect(out.error?.code).toBe('GW_UPSTREAM_STREAM_ENDED');
  });

  it('ends a stream that closes cleanly but without message_stop with an error', async () => {
    const out = await relay([START + BLOCK + DELTA]);
    expect(out.writes.join('')).toBe(START + BLOCK + DELTA);
    expect(out.error?.code).toBe('GW_UPSTREAM_STREAM_ENDED');
  });

  it('drops garbage that is not an Anthropic frame, and fails on a frame the SDK could not parse', async () => {
    const out = await relay([START, '<html>502 Bad Gateway</html>\n\n', 'event: content_block_start\ndata: <html>oops</html>\n\n', END]);
    expect(out.writes.join('')).toBe(START);
    expect(out.error?.code).toBe('GW_UPSTREAM_PROTOCOL');
  });

  it('fails on a content_block_delta whose data is not an object', async () => {
    const out = await relay([START, 'event: content_block_delta\ndata: not json at all\n\n']);
    expect(out.error?.code).toBe('GW_UPSTREAM_PROTOCOL');
  });

  it('refuses a frame larger than the limit instead of buffering it', async () => {
    const tap = new AnthropicSseTap();
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(START);
      for (let i = 0; i < 100; i++) yield Buffer.alloc(1024, 0x61);
    }
    const writes: string[] = [];
    await expect(
      (async () => {
        for await (const frames of relayAnthropicFrames(body(), { tap, maxFrameBytes: 16 * 1024 })) writes.push(asText(frames));
      })(),
    ).rejects.toMatchObject({ code: 'GW_UPSTREAM_PROTOCOL' });
    expect(writes.join('')).toBe(START);
  });
});
