import { fieldAt } from '../kinds/json-fields';
import { callJson } from '../upstream-json';
import { tokenCount, type CountingStrategy } from './counting-call';
import { openAiChatPrompt } from './openai-chat-prompt';

/** vLLM's `POST /tokenize` with chat messages: it applies the served model's template and answers `count`. */
export const vllmTokenize: CountingStrategy = {
  method: 'vllm-tokenize',
  async count({ client, target, kind, request, upstreamModel, signal }) {
    const prompt = openAiChatPrompt(request, kind, upstreamModel);
    if (!prompt) return undefined;
    const answer = await callJson(
      client,
      target,
      { method: 'POST', path: '/tokenize', body: { model: upstreamModel, ...prompt, add_generation_prompt: true } },
      signal,
    );
    return answer.outcome === 'json' ? tokenCount(fieldAt(answer.json, 'count')) : undefined;
  },
};
