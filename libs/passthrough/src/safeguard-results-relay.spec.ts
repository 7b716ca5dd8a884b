import { rechunk } from '@turnout/testing';
import { AnthropicSseTap } from './anthropic-sse-tap';
import { relayAnthropicFrames } from './relay-anthropic-frames';
import { addSafeguardResultsToMessage } from './safeguard-results-relay';

const RESULTS = [{ type: 'dangerous_tool_use', status: { type: 'unsupported' } }];

/** llama-server's own /v1/messages stream (shared/llama-server README), cut short. */
const LLAMA_STREAM = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"chatcmpl-x","type":"message","role":"assistant","content":[],"model":"tinyllama-2-anthropic","stop_reason":null,"stop_sequence":null,"usage":{"cache_read_input_tokens":9,"input_tokens":1,"output_tokens":0}}}',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hosting message_delta é"}}',
  '',
  'event: content_block_stop',
  'data: {"type":"content_block_stop","index":0}',
  '',
  'event: message_delta',
  'data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":8}}',
  '',
  'event: message_stop',
  'data: {"type":"message_stop"}',
  '',
  '',
].join('\n');

async function relay(chunks: readonly Uint8Array[]): Promise<string> {
  async function* source() {
    yield* chunks;
  }
  let out = '';
  try {
    for await (const frames of relayAnthropicFrames(source(), { tap: new AnthropicSseTap(), safeguardResults: RESULTS })) out += frames;
  } catch {
    // A stream that ends in an error event: what was relayed before it is what this test reads.
  }
  return out;
}

describe('safeguard_results on passthrough', () => {
  const expected = LLAMA_STREAM.replace(
    '"delta":{"stop_reason":"max_tokens","stop_sequence":null}',
    `"delta":{"stop_reason":"max_tokens","stop_sequence":null,"safeguard_results":${JSON.stringify(RESULTS)}}`,
  );

  it('sets delta.safeguard_results in message_delta and relays every other byte unchanged, however the bytes are cut', async () => {
    const bytes = Buffer.from(LLAMA_STREAM, 'utf8');
    expect(await relay([bytes])).toBe(expected);
    for (let seed = 1; seed <= 40; seed++) expect(await relay(rechunk(bytes, seed, { maxChunkSize: 1 + (seed % 37) }))).toBe(expected);
  });

  it('leaves the frames of a stream without message_delta as they came', async () => {
    const head = LLAMA_STREAM.slice(0, LLAMA_STREAM.indexOf('event: message_delta'));
    expect(await relay([Buffer.from(head)])).toBe(head);
  });

  it('adds the results as the last member of a unary Message', () => {
    const raw = Buffer.from('{"id":"m","type":"message","content":[],"stop_reason":"end_turn"}\n');
    expect(JSON.parse(addSafeguardResultsToMessage(raw, RESULTS).toString())).toEqual({ ...JSON.parse(raw.toString()), safeguard_results: RESULTS });
  });
});
