import { describeKindContract } from './kind-contract';
import { anthropicWire, ollamaWire } from './wire-writers';

/** Ollama: translation goes to its native /api/chat (NDJSON); >= 0.14 serves /v1/messages. */
describeKindContract({
  kind: 'ollama',
  auth: 'bearer',
  probes: [
    { method: 'GET', path: '/api/version', reply: { json: { version: '0.15.2' } } },
    { method: 'GET', path: '/api/tags', reply: { json: { models: [{ name: 'qwen3-coder:30b', model: 'qwen3-coder:30b' }] } } },
    { method: 'POST', path: '/api/show', reply: { json: { parameters: 'num_ctx 32768', model_info: { 'general.architecture': 'qwen3moe', 'qwen3moe.context_length': 262144 } } } },
  ],
  autoMode: 'native',
  translate: { path: '/api/chat', wire: ollamaWire, reasoningInput: 'thinking', toolResultIdField: 'tool_name' },
  native: { wire: anthropicWire },
  // Ollama's errors are `{"error":"…"}` with the HTTP status saying what kind.
  error: { status: 404, body: { error: 'model "upstream-model" not found, try pulling it first' }, expect: { status: 404, type: 'not_found_error', message: /upstream-model/ } },
  countTokens: 'estimate',
});
