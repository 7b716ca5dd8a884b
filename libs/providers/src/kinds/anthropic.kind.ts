import { DEFAULT_DIALECT } from '@turnout/protocol';
import { openAiModelIds } from './json-fields';
import { defineProviderKind } from './provider-kind';

/**
 * The Anthropic API: Messages only, so it can only be passed through, never translated to.
 * Its `GET /v1/models` and `count_tokens` are free (rate-limited, never billed), so the probe
 * lists models and counts are forwarded; no probe ever calls the paid `/v1/messages`.
 */
export const ANTHROPIC_KIND = defineProviderKind({
  id: 'anthropic',
  protocols: ['anthropic-messages'],
  paths: { 'anthropic-messages': '/v1/messages' },
  auth: 'x-api-key',
  requiresAnthropicVersion: true,
  dialect: DEFAULT_DIALECT,
  local: false,
  autoMode: 'native',
  probe: {
    // Anthropic's list has the same `data[].id` shape. Without a key it answers 401, which
    // the probe reports as reachable but unauthorized.
    endpoints: [{ path: '/v1/models', read: (json) => ({ models: openAiModelIds(json) }) }],
    headers: { 'anthropic-version': '2023-06-01' },
  },
  countTokens: ['anthropic-count-tokens'],
  quirks: ['strict-unknown-fields'],
});
