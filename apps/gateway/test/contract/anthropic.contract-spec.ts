import { describeKindContract } from './kind-contract';
import { anthropicWire } from './wire-writers';

/** The Anthropic API: passthrough only, x-api-key + anthropic-version, its own error envelope, count_tokens forwarded. */
describeKindContract({
  kind: 'anthropic',
  auth: 'x-api-key',
  probes: [{ method: 'GET', path: '/v1/models', reply: { json: { data: [{ type: 'model', id: 'claude-sonnet-4-6' }], has_more: false } } }],
  autoMode: 'native',
  native: { wire: anthropicWire, dropsForeignThinking: true },
  error: { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, expect: { status: 529, type: 'overloaded_error', message: /^Overloaded$/ } },
  countTokens: {
    method: 'upstream-count-tokens',
    replies: [{ path: '/v1/messages/count_tokens', reply: { json: { input_tokens: 14 } } }],
  },
});
