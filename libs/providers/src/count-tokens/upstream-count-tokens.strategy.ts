import { fieldAt } from '../kinds/json-fields';
import { callJson } from '../upstream-json';
import { tokenCount, type CountingStrategy } from './counting-call';

/** What a Messages request has that a count_tokens request must not (strict upstreams reject extras). */
const NOT_COUNTED = ['max_tokens', 'stream', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'metadata', 'service_tier'];

/**
 * The upstream's own `POST /v1/messages/count_tokens` (Anthropic, llama.cpp, recent vLLM).
 * Only a 200 carrying a numeric `input_tokens` counts: a server that fakes a 200 (LM Studio)
 * or answers 404 (older builds) falls through to the next strategy.
 */
export const upstreamCountTokens: CountingStrategy = {
  method: 'upstream-count-tokens',
  async count({ client, target, request, upstreamModel, signal }) {
    const body: Record<string, unknown> = { ...request, model: upstreamModel };
    for (const field of NOT_COUNTED) delete body[field];
    const answer = await callJson(
      client,
      target,
      { method: 'POST', path: '/v1/messages/count_tokens', body, headers: { 'anthropic-version': '2023-06-01' } },
      signal,
    );
    return answer.outcome === 'json' ? tokenCount(fieldAt(answer.json, 'input_tokens')) : undefined;
  },
};
