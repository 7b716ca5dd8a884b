import { describeMessageProblem, describeModelProblem, describeToolProblem } from './messages-envelope.dto';

/**
 * "Certainly valid" checks for the two envelope DTOs, in plain code: class-validator cost ~6% of
 * a small passthrough request in the profile (metadata lookups and an executor per call), for
 * bodies that are almost always fine. A body that passes here would pass the DTO; anything else
 * (including every invalid body) goes to class-validator, which stays the only author of error
 * messages. envelope-fast-check.spec.ts holds the two to agreement over generated bodies.
 */
export function isCertainlyValidCountTokensEnvelope(body: Readonly<Record<string, unknown>>): boolean {
  const { model, messages, system, tools, tool_choice, thinking } = body;
  return (
    describeModelProblem(model) === undefined &&
    Array.isArray(messages) &&
    messages.length <= 100_000 &&
    messages.every((message) => describeMessageProblem(message) === undefined) &&
    (system == null || typeof system === 'string' || (Array.isArray(system) && system.every((block) => typeof block === 'object' && block !== null))) &&
    (tools == null || (Array.isArray(tools) && tools.length <= 10_000 && tools.every((tool) => describeToolProblem(tool) === undefined))) &&
    optionalObject(tool_choice) &&
    optionalObject(thinking)
  );
}

export function isCertainlyValidMessagesEnvelope(body: Readonly<Record<string, unknown>>): boolean {
  const { max_tokens, stream, metadata, stop_sequences, temperature, top_p, top_k } = body;
  return (
    isCertainlyValidCountTokensEnvelope(body) &&
    Number.isInteger(max_tokens) &&
    (max_tokens as number) >= 1 &&
    (max_tokens as number) <= 100_000_000 &&
    (stream == null || typeof stream === 'boolean') &&
    optionalObject(metadata) &&
    (stop_sequences == null || (Array.isArray(stop_sequences) && stop_sequences.every((s) => typeof s === 'string'))) &&
    optionalFiniteNumber(temperature) &&
    optionalFiniteNumber(top_p) &&
    (top_k == null || Number.isInteger(top_k))
  );
}

// `== null`: class-validator's IsOptional lets both undefined and null through.

/** class-validator's IsObject: not null, not an array. */
function optionalObject(value: unknown): boolean {
  return value == null || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

function optionalFiniteNumber(value: unknown): boolean {
  return value == null || (typeof value === 'number' && Number.isFinite(value));
}
