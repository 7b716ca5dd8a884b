import { GatewayError } from '@turnout/errors';
import { fromOpenAiChatCompletion } from '../../src/anthropic-openai-chat/response';
import { contextFor, factsFor, readAnthropicSse, readBytes, readJson, resCases, translateStream, type ExpectedError } from './res-fixture-cases';

/**
 * docs/style.md §7.2 fixture pairs for the response side: every res-* case, unary and streamed,
 * compared as parsed JSON / parsed events (never bytes). Ids come from sequential newId.
 */
const cases = resCases();

function expectError(error: unknown, expected: ExpectedError): void {
  expect(error).toBeInstanceOf(GatewayError);
  expect((error as GatewayError).code).toBe(expected.code);
  if (expected.message !== undefined) expect((error as GatewayError).message).toBe(expected.message);
}

describe('anthropic-openai-chat response fixtures', () => {
  it('finds the catalogue', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('has a described source and at least one upstream body', () => {
      expect(c.meta.source === 'synthetic' || c.meta.source.startsWith('llama-server fixture ')).toBe(true);
      expect(c.meta.notes.length).toBeGreaterThan(10);
      expect(c.hasResponse || c.hasStream).toBe(true);
    });

    if (c.hasResponse) {
      it('translates openai.response.json', () => {
        const translate = () => fromOpenAiChatCompletion(readJson(c, 'openai.response.json'), contextFor(c.meta), factsFor(c.meta));
        if (c.meta.responseError) {
          let thrown: unknown;
          try {
            translate();
          } catch (error) {
            thrown = error;
          }
          expectError(thrown, c.meta.responseError);
          return;
        }
        const { body, usage } = translate();
        expect(body).toEqual(readJson(c, 'anthropic.response.json'));
        expect(usage.outputTokens).toBe(body.usage.output_tokens);
        expect(usage.inputTokens).toBe(body.usage.input_tokens);
      });
    }

    if (c.hasStream) {
      it('translates openai.stream.sse', async () => {
        const outcome = await translateStream([readBytes(c, 'openai.stream.sse')], c.meta);
        expect(outcome.events).toEqual(await readAnthropicSse(readBytes(c, 'anthropic.stream.sse')));
        if (c.meta.streamError) expectError(outcome.error, c.meta.streamError);
        else expect(outcome.error).toBeUndefined();
      });
    }
  });
});
