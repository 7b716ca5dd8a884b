import { DEFAULT_DIALECT } from '@turnout/protocol';
import { openAiModelIds, positiveIntAt, recordsAt, smallest, stringAt } from './json-fields';
import { defineProviderKind } from './provider-kind';

/**
 * llama.cpp llama-server: reads `reasoning_content`, takes `top_k` and `chat_template_kwargs`,
 * accepts Bearer or x-api-key. Serves `/v1/messages` and `count_tokens` since PR #17570
 * (merged 2025-11-28), and has a tokenizer over HTTP (`/apply-template`, `/tokenize`).
 */
export const LLAMA_CPP_KIND = defineProviderKind({
  id: 'llama-cpp',
  protocols: ['openai-chat', 'anthropic-messages'],
  paths: { 'openai-chat': '/v1/chat/completions', 'anthropic-messages': '/v1/messages' },
  auth: 'bearer',
  requiresAnthropicVersion: false,
  // `return_progress` and `verbose`: older builds ignore unknown fields.
  dialect: { ...DEFAULT_DIALECT, acceptsReturnProgress: true, acceptsVerbose: true },
  local: true,
  autoMode: 'translate',
  probe: {
    endpoints: [
      {
        // `n_ctx` here is per slot (`-c` divided by `-np`): what one request can use.
        path: '/props',
        read: (json) => ({
          version: stringAt(json, 'build_info'),
          contextWindow: positiveIntAt(json, 'default_generation_settings', 'n_ctx'),
        }),
      },
      {
        // One model, or several in router mode; `meta.n_ctx` is per slot too.
        path: '/v1/models',
        read: (json) => ({
          models: openAiModelIds(json),
          contextWindow: smallest(recordsAt(json, 'data').map((model) => positiveIntAt(model, 'meta', 'n_ctx'))),
        }),
      },
    ],
    // The merge's exact build number is not recorded; the builds published around it are
    // ~b7200-b7215. b7250 is safely after it. Older builds, and `b0-unknown` source builds,
    // are settled by the endpoint check below instead of by guessing.
    messagesSince: { scheme: 'llama-build', minimum: 'b7250', evidence: 'llama.cpp PR #17570, merged 2025-11-28' },
    // count_tokens arrived in the same PR as /v1/messages, renders the template without
    // generating, and llama-server answers unknown routes with 404.
    messagesEndpointCheck: {
      path: '/v1/messages/count_tokens',
      body: (model) => ({ model: model ?? 'probe', messages: [{ role: 'user', content: 'ping' }] }),
    },
  },
  countTokens: ['anthropic-count-tokens', 'llama-tokenize'],
  quirks: [
    'stop-sequence-reported-as-end-turn',
    'empty-thinking-signature',
    'content-block-stops-batched',
    'tool-choice-ignored',
    'errors-not-anthropic-shaped',
    'validation-errors-as-500',
    'sse-comment-pings',
  ],
});
