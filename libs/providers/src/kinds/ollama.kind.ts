import { DEFAULT_DIALECT } from '@turnout/protocol';
import { fieldAt, positiveIntAt, recordsAt, stringAt } from './json-fields';
import { defineProviderKind, type ProbeReading } from './provider-kind';

/**
 * Ollama through its OpenAI shim (`/v1`): reads `reasoning`, ignores `top_k`, `user` and
 * `max_completion_tokens`, has no chat_template_kwargs. Serves `/v1/messages` since v0.14.0;
 * has no count or tokenize endpoint, so counts are estimates. Older versions are translated to
 * the native `/api/chat` (NDJSON).
 */
export const OLLAMA_KIND = defineProviderKind({
  id: 'ollama',
  // Translation prefers the native /api/chat (num_ctx, think levels, format); the OpenAI shim
  // stays reachable with `translate_to: openai-chat`.
  protocols: ['ollama-chat', 'openai-chat', 'anthropic-messages'],
  paths: { 'ollama-chat': '/api/chat', 'openai-chat': '/v1/chat/completions', 'anthropic-messages': '/v1/messages' },
  auth: 'bearer',
  requiresAnthropicVersion: false,
  dialect: {
    ...DEFAULT_DIALECT,
    reasoningInputField: 'reasoning',
    acceptsTopK: false,
    acceptsUser: false,
    acceptsChatTemplateKwargs: false,
    // Ollama takes images only as base64 (docs/protocol.md §8.1): a URL image is a clear 400, not an upstream error.
    acceptsImageUrls: false,
  },
  local: true,
  autoMode: 'translate',
  probe: {
    endpoints: [
      { path: '/api/version', read: (json) => ({ version: stringAt(json, 'version') }) },
      {
        path: '/api/tags',
        read: (json) => ({
          models: recordsAt(json, 'models')
            .map((model) => stringAt(model, 'name') ?? stringAt(model, 'model'))
            .filter((name): name is string => name !== undefined),
        }),
      },
    ],
    messagesSince: { scheme: 'semver', minimum: '0.14.0', evidence: 'Ollama v0.14.0 (Jan 2026, PR #13600)' },
    // Installed models can be many; three `/api/show` calls keep the probe cheap.
    modelDetails: { path: '/api/show', maxModels: 3, body: (model) => ({ model }), read: readShow },
  },
  countTokens: [],
  quirks: [
    'thinking-without-signature',
    'tool-choice-ignored',
    'tool-calls-streamed-whole',
    'input-tokens-estimated-at-start',
    'stop-reason-omitted-when-empty',
    'default-context-may-truncate',
    'x-api-key-rejected',
  ],
});

/**
 * A `num_ctx` set in the model's parameters is what Ollama really uses; otherwise the
 * architecture's trained `<arch>.context_length` (the runtime default may be smaller:
 * quirk `default-context-may-truncate`).
 */
function readShow(json: unknown): ProbeReading {
  const parameters = stringAt(json, 'parameters');
  const numCtx = parameters ? /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(parameters) : null;
  if (numCtx) return { contextWindow: Number(numCtx[1]) };
  const info = fieldAt(json, 'model_info');
  const arch = stringAt(info, 'general.architecture');
  if (arch) return { contextWindow: positiveIntAt(info, `${arch}.context_length`) };
  return {};
}
