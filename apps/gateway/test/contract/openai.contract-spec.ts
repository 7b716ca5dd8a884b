import { describeKindContract } from './kind-contract';
import { openAiWire } from './wire-writers';

/** Any OpenAI-compatible server: translation only, no reasoning history sent, OpenAI's error objects. */
describeKindContract({
  kind: 'openai',
  auth: 'bearer',
  probes: [],
  autoMode: 'translate',
  translate: { path: '/v1/chat/completions', wire: openAiWire('reasoning_content'), reasoningInput: 'none', toolResultIdField: 'tool_call_id' },
  error: {
    status: 429,
    headers: { 'retry-after': '3' },
    body: { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    expect: { status: 429, type: 'rate_limit_error' },
  },
  countTokens: 'estimate',
});
