import { describeKindContract } from './kind-contract';
import { anthropicWire, openAiWire } from './wire-writers';

/** LM Studio: `reasoning`, no count endpoint (it fakes a 200 there, so it is never asked). */
describeKindContract({
  kind: 'lm-studio',
  auth: 'bearer',
  probes: [{ method: 'GET', path: '/api/v1/models', reply: { json: { models: [{ key: 'qwen3-coder-30b', type: 'llm', max_context_length: 32768 }] } } }],
  autoMode: 'native',
  translate: { path: '/v1/chat/completions', wire: openAiWire('reasoning'), reasoningInput: 'reasoning', toolResultIdField: 'tool_call_id' },
  native: { wire: anthropicWire },
  // LM Studio wraps engine failures as 500 api_error.
  error: { status: 500, body: { error: { message: 'Model crashed while generating', type: 'server_error' } }, expect: { status: 500, type: 'api_error' } },
  countTokens: 'estimate',
});
