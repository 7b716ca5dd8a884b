import { DEFAULT_DIALECT } from '@turnout/protocol';
import { fieldAt, positiveIntAt, recordsAt, smallest, stringAt } from './json-fields';
import { defineProviderKind, type ProbeReading } from './provider-kind';

/** Without the v1 REST API (0.4.0) there is no Anthropic endpoint (0.4.1) either. */
const PREDATES_V1: ProbeReading = Object.freeze({ version: 'older than 0.4.0', servesMessages: false });

/**
 * LM Studio: OpenAI-compatible server on a llama.cpp or MLX engine; reports reasoning as
 * `reasoning`. Serves `/v1/messages` since 0.4.1, but answers `count_tokens` with a 200 that
 * counts nothing (lmstudio-bug-tracker#2055), so it is never asked to count.
 */
export const LM_STUDIO_KIND = defineProviderKind({
  id: 'lm-studio',
  protocols: ['openai-chat', 'anthropic-messages'],
  paths: { 'openai-chat': '/v1/chat/completions', 'anthropic-messages': '/v1/messages' },
  auth: 'bearer',
  requiresAnthropicVersion: false,
  // LM Studio takes images only as data: URLs, so a URL image is a clear 400.
  dialect: { ...DEFAULT_DIALECT, reasoningInputField: 'reasoning', acceptsImageUrls: false },
  local: true,
  autoMode: 'translate',
  probe: {
    // LM Studio reports no version number over HTTP. Its native v1 REST API (`/api/v1/models`)
    // arrived in 0.4.0, and the Anthropic endpoint in 0.4.1 a few weeks later: a server with
    // the v1 API is taken to serve /v1/messages (0.4.0 itself is the one release this misjudges;
    // `messages: translate` overrides). Without it, the server predates both.
    endpoints: [
      // v0 may be retired some day; its absence is no problem while v1 answers.
      { path: '/api/v0/models', read: readV0Models, whenNotFound: {} },
      { path: '/api/v1/models', read: readV1Models, whenNotFound: PREDATES_V1 },
    ],
    messagesSince: { scheme: 'semver', minimum: '0.4.1', evidence: 'LM Studio 0.4.1 API changelog (Anthropic-compatible API)' },
  },
  countTokens: [],
  quirks: ['rejects-system-role-in-messages', 'engine-errors-as-500', 'count-tokens-fakes-200'],
});

/** `{data:[{id, type, state, loaded_context_length?, max_context_length}]}`: loaded models' context is the real one. */
function readV0Models(json: unknown): ProbeReading {
  const models = recordsAt(json, 'data').filter((model) => stringAt(model, 'type') !== 'embeddings');
  return {
    models: models.map((model) => stringAt(model, 'id')).filter((id): id is string => id !== undefined),
    contextWindow: smallest(models.map((model) => positiveIntAt(model, 'loaded_context_length'))),
  };
}

/**
 * `{models:[{key, type, loaded_instances:[{config:{context_length}}]}]}`: only the v1 API
 * answers this shape. LM Studio answers routes it does not know with a 200 whose body is
 * `{"error":"Unexpected endpoint or method. (GET /api/v1/models)"}`: that is a 404 in disguise.
 */
function readV1Models(json: unknown): ProbeReading {
  if (stringAt(json, 'error')?.startsWith('Unexpected endpoint')) return PREDATES_V1;
  if (!Array.isArray(fieldAt(json, 'models'))) return {};
  const models = recordsAt(json, 'models').filter((model) => stringAt(model, 'type') !== 'embedding');
  const loaded = models.flatMap((model) => recordsAt(model, 'loaded_instances'));
  return {
    models: models.map((model) => stringAt(model, 'key')).filter((key): key is string => key !== undefined),
    contextWindow: smallest(loaded.map((instance) => positiveIntAt(instance, 'config', 'context_length'))),
    version: '0.4.0 or newer',
    servesMessages: true,
  };
}
