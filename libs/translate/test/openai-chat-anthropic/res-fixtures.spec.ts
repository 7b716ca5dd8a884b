import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anthropicMessageToChat } from '../../src/openai-chat-anthropic/response';
import { cases, contextFor, resCase, responseJson, streamBytes, translateStream } from './cases';

describe.each(cases('res-'))('openai-chat ← anthropic-messages answer %s', (name) => {
  const c = resCase(name);
  const bytes = streamBytes(c);
  const unary = responseJson(c);
  if (bytes !== undefined) {
    it('streams the expected chunks', async () => {
      const { items, error } = await translateStream([bytes], c.meta);
      expect(items).toEqual(JSON.parse(readFileSync(join(c.dir, 'chat.stream.json'), 'utf8')));
      if (c.meta.streamError) {
        expect(error?.code).toBe(c.meta.streamError.code);
        if (c.meta.streamError.messageIncludes) expect(error?.message).toContain(c.meta.streamError.messageIncludes);
      } else expect(error).toBeUndefined();
    });
  }
  if (unary !== undefined) {
    it('answers the expected chat completion', () => {
      expect(anthropicMessageToChat(unary, contextFor(c.meta)).body).toEqual(JSON.parse(readFileSync(join(c.dir, 'chat.response.json'), 'utf8')));
    });
  }
});
