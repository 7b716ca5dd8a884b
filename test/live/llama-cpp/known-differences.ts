/**
 * Where Turnout deliberately answers differently from llama-server itself, per scenario and
 * mode, with the reason (shown in docs/compatibility.md). The live suite fails when a scenario
 * differs in any other way, and also when a listed difference disappears, so this list and the
 * report stay exact.
 */
export interface KnownDifference {
  /** Exactly what `differences()` reports, in its order. */
  readonly differences: readonly string[];
  readonly reason: string;
}

export type Mode = 'native' | 'translate';

const both = (differences: readonly string[], reason: string): [KnownDifference, KnownDifference] => [
  { differences, reason },
  { differences, reason },
];

const [safeguardsNative, safeguardsTranslate] = both(
  ['safeguard_results: (none) direct, "present" here'],
  'Claude Code auto mode sends `safeguards` and expects `safeguard_results`; llama-server ignores the field and answers none, ' +
    'which Claude Code reads as "something on the path dropped it". Turnout strips the field and its beta ' +
    '(`dangerous-tool-use-2026-09-03`) and answers `[{type: "dangerous_tool_use", status: {type: "unsupported"}}]`: ' +
    'nothing was evaluated, so the client runs its own check (provider setting `safeguards: synthesize`, the default for every kind but `anthropic`).',
);
const [missingNative, missingTranslate] = both(
  ['status: 200 direct, 400 here', 'error type: (none) direct, "invalid_request_error" here'],
  "`max_tokens` is required by the Messages API; llama-server fills in its own default and generates until its context is full. " +
    'Turnout answers 400 naming the field, as Anthropic does, before anything reaches the upstream.',
);
const [roleNative, roleTranslate] = both(
  ['status: 200 direct, 400 here', 'error type: (none) direct, "invalid_request_error" here'],
  'A role other than `user` or `assistant` is a 400 at Anthropic; llama-server passes it to the chat template and answers 200. ' +
    'Turnout rejects it before the upstream, naming the field (it also accepts `system`, which Claude Code sends inside `messages`).',
);
const [imageNative, imageTranslate] = both(
  ['status: 500 direct, 400 here', 'error type: "server_error" direct, "invalid_request_error" here'],
  'An image sent to a model without vision is the client\'s mistake, not a server fault: llama-server answers 500 ' +
    '`server_error` ("image input is not supported"), which clients retry; Turnout answers 400 `invalid_request_error` carrying llama-server\'s message, so they do not.',
);
const [overflowNative, overflowTranslate] = both(
  ['error type: "exceed_context_size_error" direct, "invalid_request_error" here'],
  'Same status (400). llama-server\'s error type is its own; Turnout refuses the prompt before any prefill with ' +
    'Anthropic\'s `invalid_request_error` and the wording "prompt is too long: N tokens > M maximum", on which Claude Code compacts.',
);
const [modelsNative, modelsTranslate] = both(
  ["shape: Anthropic's here, llama.cpp's own direct"],
  "llama-server's `/v1/models` is OpenAI/Ollama-shaped. Turnout answers Anthropic's shape (`data`, `has_more`, `first_id`, `last_id`, " +
    '`display_name`, `created_at`, paging), listing every route name, exact name and alias plus the upstream\'s own models, each with ' +
    'the context window (`max_input_tokens`) of the target it reaches.',
);

const stopSequenceMatched: KnownDifference = {
  differences: ['stop_reason: "end_turn" direct, "stop_sequence" here'],
  reason:
    "llama-server's own `/v1/messages` says `end_turn` when a stop sequence matched (it does set `stop_sequence`); Anthropic says " +
    '`stop_sequence`, and so does translation. Its OpenAI endpoint names the matched string only when asked `verbose` (Turnout asks ' +
    'when stop sequences are given and the conversation is under 1,000,000 JSON characters, since the answer echoes the prompt); ' +
    'past that, a single stop sequence is named and with several `stop_sequence` is null.',
};

export const KNOWN_DIFFERENCES: Readonly<Record<string, KnownDifference>> = {
  'system-blocks/translate': {
    differences: ['prompt tokens: 24 direct, 26 here'],
    reason:
      'Translation joins system blocks with a blank line; llama-server (like vLLM) joins them with nothing, gluing the last ' +
      'sentence of one block to the first of the next. Two more prompt tokens here (protocol.md §7.2).',
  },
  'stop-sequence-one/translate': stopSequenceMatched,
  'stop-sequence-two/translate': stopSequenceMatched,
  'safeguards-stream/native': safeguardsNative,
  'safeguards-stream/translate': safeguardsTranslate,
  'safeguards-unary/native': safeguardsNative,
  'safeguards-unary/translate': safeguardsTranslate,
  'missing-max-tokens/native': missingNative,
  'missing-max-tokens/translate': missingTranslate,
  'bad-role/native': roleNative,
  'bad-role/translate': roleTranslate,
  'image-no-vision/native': imageNative,
  'image-no-vision/translate': imageTranslate,
  'context-overflow/native': overflowNative,
  'context-overflow/translate': overflowTranslate,
  'models/native': modelsNative,
  'models/translate': modelsTranslate,
};

const NONE: KnownDifference = { differences: [], reason: '' };

export function knownDifference(scenarioId: string, mode: Mode): KnownDifference {
  return KNOWN_DIFFERENCES[`${scenarioId}/${mode}`] ?? NONE;
}
