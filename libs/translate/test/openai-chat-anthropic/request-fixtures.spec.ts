import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '@turnout/errors';
import type { JsonRecord } from '@turnout/protocol';
import { jsonClone } from '@turnout/testing';
import { chatToAnthropicRequest } from '../../src/openai-chat-anthropic/request';
import { cases, FIXTURES, REPO_ROOT } from './cases';

interface ReqMeta {
  readonly requestFrom?: string;
  readonly expectError?: { readonly code: string; readonly messageIncludes: string };
}

describe.each(cases('req-'))('openai-chat → anthropic-messages request %s', (name) => {
  const dir = join(FIXTURES, name);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as ReqMeta;
  const request = JSON.parse(readFileSync(meta.requestFrom ? join(REPO_ROOT, meta.requestFrom) : join(dir, 'openai.request.json'), 'utf8')) as JsonRecord;

  if (meta.expectError) {
    it('is refused with a message naming the field', () => {
      let thrown: unknown;
      try {
        chatToAnthropicRequest(request);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(GatewayError);
      expect((thrown as GatewayError).code).toBe(meta.expectError?.code);
      expect((thrown as GatewayError).message).toContain(meta.expectError?.messageIncludes);
    });
    return;
  }

  it('gives the expected Anthropic request, key order included, without touching its input', () => {
    const before = jsonClone(request);
    const { request: anthropic } = chatToAnthropicRequest(request);
    expect(request).toEqual(before);
    const expected = readFileSync(join(dir, 'anthropic.request.json'), 'utf8');
    expect(JSON.stringify(anthropic, null, 1)).toBe(JSON.stringify(JSON.parse(expected), null, 1));
  });

  it('names the fields it dropped, only those', () => {
    const { dropped } = chatToAnthropicRequest(request);
    const file = join(dir, 'dropped.json');
    expect(dropped).toEqual(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : []);
  });
});
