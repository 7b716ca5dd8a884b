import type { OllamaChatStreamLine } from '@turnout/protocol';
import { fromChunks } from '@turnout/testing';
import { decodeOllamaChatStream } from '../../src/anthropic-ollama-chat/decode';
import { gatewayErrorOfAsync } from './gateway-error-of';

const encode = (text: string) => new TextEncoder().encode(text);

async function decode(chunks: readonly string[]): Promise<OllamaChatStreamLine[]> {
  const lines: OllamaChatStreamLine[] = [];
  for await (const line of decodeOllamaChatStream(fromChunks(chunks.map(encode)))) lines.push(line);
  return lines;
}

const failure = (chunks: readonly string[]) => gatewayErrorOfAsync(() => decode(chunks));

const first = '{"model":"qwen3","message":{"role":"assistant","content":"Hé"},"done":false}';
const last = '{"model":"qwen3","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}';

describe('decodeOllamaChatStream', () => {
  it('reassembles a line split across chunks', async () => {
    const whole = await decode([`${first}\n${last}\n`]);
    expect(whole).toHaveLength(2);
    expect(await decode([first.slice(0, 17), first.slice(17, 50), `${first.slice(50)}\n${last.slice(0, 3)}`, `${last.slice(3)}\n`])).toEqual(whole);
  });

  it('stops reading after the done line', async () => {
    const lines = await decode([`${first}\n${last}\n{"not":"read"}\nnot json either\n`]);
    expect(lines.map((line) => 'done' in line && line.done)).toEqual([false, true]);
  });

  it('passes an error line on for the machine to throw', async () => {
    expect(await decode([`${first}\n{"error":"boom"}\n`])).toEqual([JSON.parse(first), { error: 'boom' }]);
  });

  it('reads a last line without a newline', async () => {
    expect(await decode([`${first}\n${last}`])).toHaveLength(2);
  });

  it('fails on a line that is not JSON, or not an object, naming it', async () => {
    const notJson = await failure([`${first}\n{"model":"qwen3","mess\n`]);
    expect([notJson.code, notJson.message]).toEqual(['GW_UPSTREAM_PROTOCOL', 'The upstream sent a stream frame that is not JSON: {"model":"qwen3","mess']);
    const notObject = await failure(['[1,2]\n']);
    expect(notObject.message).toBe('The upstream sent a stream frame that is not a JSON object: [1,2]');
  });
});
