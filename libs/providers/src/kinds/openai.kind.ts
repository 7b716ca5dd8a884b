import { DEFAULT_DIALECT } from '@turnout/protocol';
import { openAiModelIds } from './json-fields';
import { defineProviderKind } from './provider-kind';

/**
 * Any OpenAI-compatible server, api.openai.com included: strict about unknown parameters
 * (no `top_k`, no `chat_template_kwargs`), `max_completion_tokens`, `content: null` for
 * tool-only turns, no reasoning history field. Treated as remote (it may be anyone's), and
 * never asked to count: a generic server has no tokenizer endpoint we can rely on.
 */
export const OPENAI_KIND = defineProviderKind({
  id: 'openai',
  protocols: ['openai-chat'],
  paths: { 'openai-chat': '/v1/chat/completions' },
  auth: 'bearer',
  requiresAnthropicVersion: false,
  dialect: {
    ...DEFAULT_DIALECT,
    reasoningInputField: 'none',
    maxTokensField: 'max_completion_tokens',
    acceptsTopK: false,
    acceptsChatTemplateKwargs: false,
    toolOnlyAssistantContent: null,
  },
  local: false,
  autoMode: 'translate',
  probe: { endpoints: [{ path: '/v1/models', read: (json) => ({ models: openAiModelIds(json) }) }] },
  countTokens: [],
  quirks: [],
});
