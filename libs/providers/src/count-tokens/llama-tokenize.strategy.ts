import { fieldAt, stringAt } from '../kinds/json-fields';
import { callJson } from '../upstream-json';
import type { CountingStrategy } from './counting-call';
import { openAiChatPrompt } from './openai-chat-prompt';

/**
 * llama-server's own tokenizer over its own chat template: `POST /apply-template` renders
 * the OpenAI-chat body to `{prompt}`, `POST /tokenize` turns it into tokens. `add_special`
 * adds BOS as generation does (the rendered prompt leaves it out for the tokenizer to add);
 * `parse_special` reads `<|im_start|>` and friends as the single tokens they are.
 */
export const llamaApplyTemplateTokenize: CountingStrategy = {
  method: 'llama-apply-template+tokenize',
  async count({ client, target, kind, request, upstreamModel, signal }) {
    const prompt = openAiChatPrompt(request, kind, upstreamModel);
    if (!prompt) return undefined;
    const rendered = await callJson(client, target, { method: 'POST', path: '/apply-template', body: prompt }, signal);
    const text = rendered.outcome === 'json' ? stringAt(rendered.json, 'prompt') : undefined;
    if (text === undefined) return undefined;
    const tokenized = await callJson(
      client,
      target,
      { method: 'POST', path: '/tokenize', body: { content: text, add_special: true, parse_special: true } },
      signal,
    );
    if (tokenized.outcome !== 'json') return undefined;
    const tokens = fieldAt(tokenized.json, 'tokens');
    return Array.isArray(tokens) ? tokens.length : undefined;
  },
};
