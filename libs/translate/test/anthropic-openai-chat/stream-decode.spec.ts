import { GatewayError } from '@turnout/errors';
import { fromChunks } from '@turnout/testing';
import { decodeOpenAiChatStream, type OpenAiStreamItem } from '../../src/anthropic-openai-chat/decode';

async function decode(text: string): Promise<OpenAiStreamItem[]> {
  const items: OpenAiStreamItem[] = [];
  for await (const item of decodeOpenAiChatStream(fromChunks([Buffer.from(text, 'utf8')]))) items.push(item);
  return items;
}

async function failure(text: string): Promise<GatewayError> {
  try {
    await decode(text);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('decodeOpenAiChatStream', () => {
  it('yields chunks and the [DONE] terminator, and stops reading there', async () => {
    const items = await decode('data: {"choices":[]}\n\ndata:  [DONE] \n\ndata: not json\n\n');
    expect(items).toEqual([{ kind: 'chunk', chunk: { choices: [] } }, { kind: 'done' }]);
  });

  it('stops pulling bytes after [DONE] (the upstream body can be released)', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      pulled++;
      yield Buffer.from('data: [DONE]\n\n');
      pulled++;
      throw new Error('read past [DONE]');
    }
    const items: OpenAiStreamItem[] = [];
    for await (const item of decodeOpenAiChatStream(source())) items.push(item);
    expect(items).toEqual([{ kind: 'done' }]);
    expect(pulled).toBe(1);
  });

  it('ignores comments and joins multi-line data as the SSE spec says', async () => {
    expect(await decode(': ping\n\ndata: {"a":\ndata: 1}\n\n')).toEqual([{ kind: 'chunk', chunk: { a: 1 } }]);
  });

  it('rejects a frame that is not JSON as GW_UPSTREAM_PROTOCOL, with the cause', async () => {
    const error = await failure('data: {"choices":[]}\n\ndata: {"choi\n\n');
    expect(error.code).toBe('GW_UPSTREAM_PROTOCOL');
    expect(error.message).toBe('The upstream sent a stream frame that is not JSON: {"choi');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each(['42', '[1]', 'null', '"text"'])('rejects the non-object frame %s', async (data) => {
    expect((await failure(`data: ${data}\n\n`)).code).toBe('GW_UPSTREAM_PROTOCOL');
  });

  it('shortens long bad frames in the message', async () => {
    const error = await failure(`data: ${'x'.repeat(500)}\n\n`);
    expect(error.message.length).toBeLessThan(300);
  });

  it('turns an explicit `event: error` frame into GW_UPSTREAM_ERROR, whatever its shape', async () => {
    expect((await failure('event: error\ndata: {"error":{"message":"overloaded"}}\n\n')).message).toBe('The upstream failed: overloaded');
    expect((await failure('event: error\ndata: {"message":"bare"}\n\n')).message).toBe('The upstream failed: bare');
  });

  it('passes `data: {"error":…}` chunks on for the machine to judge', async () => {
    expect(await decode('data: {"error":{"message":"x"}}\n\n')).toEqual([{ kind: 'chunk', chunk: { error: { message: 'x' } } }]);
  });

  it('yields nothing for an empty body (the machine decides that is an error)', async () => {
    expect(await decode('')).toEqual([]);
  });
});

describe('a chunk that is not a chat completion chunk', () => {
  it('choices that is not a list is GW_UPSTREAM_PROTOCOL, never an empty answer', async () => {
    async function* bytes() {
      yield Buffer.from(`data: ${JSON.stringify({ choices: 'no' })}\n\ndata: [DONE]\n\n`);
    }
    const read = async () => {
      for await (const _ of decodeOpenAiChatStream(bytes()));
    };
    await expect(read()).rejects.toMatchObject({ code: 'GW_UPSTREAM_PROTOCOL' });
  });
});
