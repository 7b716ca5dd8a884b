import { DEFAULT_DIALECT } from '@turnout/protocol';
import { openAiModelIds, positiveIntAt, recordsAt, smallest, stringAt } from './json-fields';
import { defineProviderKind } from './provider-kind';

/**
 * vLLM: since 0.16 it reads reasoning history only from `reasoning` and ignores
 * `reasoning_content` (vllm#38488); tool-only assistant turns take `content: null`; Bearer only.
 * Serves `/v1/messages` since PR #22627 (0.11.x); `count_tokens` only in 2026 builds, and
 * `/tokenize` with messages everywhere.
 */
export const VLLM_KIND = defineProviderKind({
  id: 'vllm',
  protocols: ['openai-chat', 'anthropic-messages'],
  paths: { 'openai-chat': '/v1/chat/completions', 'anthropic-messages': '/v1/messages' },
  auth: 'bearer',
  requiresAnthropicVersion: false,
  dialect: { ...DEFAULT_DIALECT, reasoningInputField: 'reasoning', toolOnlyAssistantContent: null },
  local: true,
  autoMode: 'translate',
  probe: {
    endpoints: [
      { path: '/version', read: (json) => ({ version: stringAt(json, 'version') }) },
      {
        path: '/v1/models',
        read: (json) => ({
          models: openAiModelIds(json),
          contextWindow: smallest(recordsAt(json, 'data').map((model) => positiveIntAt(model, 'max_model_len'))),
        }),
      },
    ],
    messagesSince: { scheme: 'semver', minimum: '0.11.0', evidence: 'vLLM PR #22627 (Aug 2025), present in 0.11.x' },
  },
  countTokens: ['anthropic-count-tokens', 'vllm-tokenize'],
  quirks: [
    'rejects-system-role-in-messages',
    'random-thinking-signatures',
    'errors-not-anthropic-shaped',
    'parallel-tool-calls-share-index',
    'x-api-key-rejected',
  ],
});
