import { describeKindContract } from './kind-contract';
import { anthropicWire, openAiWire } from './wire-writers';

/** vLLM: reasoning in `reasoning` (>= 0.16 ignores reasoning_content), OpenAI-layer error objects, /tokenize. */
describeKindContract({
  kind: 'vllm',
  auth: 'bearer',
  // 0.10.1 predates /v1/messages (0.11): auto translates.
  probes: [{ method: 'GET', path: '/version', reply: { json: { version: '0.10.1' } } }],
  autoMode: 'translate',
  translate: { path: '/v1/chat/completions', wire: openAiWire('reasoning'), reasoningInput: 'reasoning', toolResultIdField: 'tool_call_id' },
  native: { wire: anthropicWire },
  error: {
    status: 400,
    body: {
      object: 'error',
      message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens (8000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    },
    expect: { status: 400, type: 'invalid_request_error', message: /prompt is too long|context length/ },
  },
  countTokens: {
    method: 'vllm-tokenize',
    replies: [
      { path: '/v1/messages/count_tokens', reply: { status: 404, json: { detail: 'Not Found' } } },
      { path: '/tokenize', reply: { json: { count: 17, max_model_len: 8192, tokens: [] } } },
    ],
  },
});
