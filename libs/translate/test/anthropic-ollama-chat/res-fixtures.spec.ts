import type { GatewayError } from '@turnout/errors';
import { fromOllamaChatResponse } from '../../src/anthropic-ollama-chat/response';
import { readAnthropicSse } from '../anthropic-openai-chat/res-fixture-cases';
import { gatewayErrorOf } from './gateway-error-of';
import { contextFor, factsFor, readBytes, readJson, resCases, translateStream, type ExpectedError } from './res-fixture-cases';

/**
 * docs/style.md §7.2 fixture pairs for the response side: every res-* case, unary and streamed,
 * compared as parsed JSON / parsed events (never bytes). Ids come from sequential newId.
 */
const cases = resCases();

function expectError(error: GatewayError | undefined, expected: ExpectedError): void {
  expect(error && { code: error.code, message: error.message }).toEqual({ code: expected.code, message: expected.message ?? error?.message });
}

describe('anthropic-ollama-chat response fixtures', () => {
  it('finds the catalogue', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('has a described source and at least one upstream body', () => {
      expect(c.meta.source).toBe('synthetic');
      expect(c.meta.notes.length).toBeGreaterThan(10);
      expect(c.hasResponse || c.hasStream).toBe(true);
    });

    if (c.hasResponse) {
      it('translates ollama.response.json', () => {
        const translate = () => fromOllamaChatResponse(readJson(c, 'ollama.response.json'), contextFor(), factsFor(c.meta));
        if (c.meta.responseError) return expectError(gatewayErrorOf(translate), c.meta.responseError);
        const { body, usage } = translate();
        expect(body).toEqual(readJson(c, 'anthropic.response.json'));
        expect(usage.outputTokens).toBe(body.usage.output_tokens);
        expect(usage.inputTokens).toBe(body.usage.input_tokens);
      });
    }

    if (c.hasStream) {
      it('translates ollama.stream.ndjson', async () => {
        const outcome = await translateStream([readBytes(c, 'ollama.stream.ndjson')], c.meta);
        expect(outcome.events).toEqual(await readAnthropicSse(readBytes(c, 'anthropic.stream.sse')));
        if (c.meta.streamError) expectError(outcome.error, c.meta.streamError);
        else expect(outcome.error).toBeUndefined();
      });
    }
  });
});
