import type { Observation } from './observe';

/**
 * The differences between a Turnout answer and the direct one, one short sentence each (they
 * become cells of docs/compatibility.md). Empty: structurally equal.
 */
export function differences(direct: Observation, mode: Observation, exactContentType: boolean): string[] {
  const out: string[] = [];
  const field = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${label}: ${show(a)} direct, ${show(b)} here`);
  };
  field('status', direct.status, mode.status);
  field('error type', direct.errorType, mode.errorType);
  if (mode.anthropicError === false) out.push('error body is not Anthropic-shaped');
  // An error where the other side answered: the rest is only the consequence.
  if (direct.status !== mode.status) return out;
  field('content-type', exactContentType ? direct.contentType : mediaType(direct.contentType), exactContentType ? mode.contentType : mediaType(mode.contentType));
  field('events', direct.events, mode.events);
  if (mode.grammar) out.push(`stream grammar: ${mode.grammar}`);
  field('content blocks', direct.blocks, mode.blocks);
  field('stop_reason', direct.stopReason, mode.stopReason);
  field('stop_sequence', direct.stopSequence, mode.stopSequence);
  field('prompt tokens', direct.promptTokens, mode.promptTokens);
  field('output tokens', direct.outputTokens, mode.outputTokens);
  for (const problem of mode.usageProblems ?? []) out.push(`usage: ${problem}`);
  field('safeguard_results', direct.safeguardResults === undefined ? undefined : 'present', mode.safeguardResults === undefined ? undefined : 'present');
  field('count_tokens', direct.countedTokens, mode.countedTokens);
  if (direct.models && mode.models) out.push(...modelsDifferences(direct.models, mode.models));
  return out;
}

function modelsDifferences(direct: NonNullable<Observation['models']>, mode: NonNullable<Observation['models']>): string[] {
  const out: string[] = [];
  if (direct.anthropicShape !== mode.anthropicShape) out.push(`shape: ${mode.anthropicShape ? "Anthropic's" : 'not Anthropic'} here, ${direct.anthropicShape ? "Anthropic's" : "llama.cpp's own"} direct`);
  const missing = direct.ids.filter((id) => !mode.ids.includes(id));
  if (missing.length > 0) out.push(`upstream models not listed: ${missing.join(', ')}`);
  return out;
}

function mediaType(value: string | undefined): string | undefined {
  return value?.split(';')[0];
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

/** A one-line description of the direct answer, for the report's direct column. */
export function describeDirect(direct: Observation): string {
  if (direct.models) return `${direct.status}, llama.cpp's list shape, ${direct.models.ids.length} model(s)`;
  if (direct.countedTokens !== undefined) return `${direct.status}, ${direct.countedTokens} tokens`;
  if (direct.errorType !== undefined) return `${direct.status} ${direct.errorType}`;
  const stop = direct.stopSequence ? `${direct.stopReason} (${JSON.stringify(direct.stopSequence)})` : String(direct.stopReason);
  const problems = [direct.grammar, ...(direct.usageProblems ?? [])].filter(Boolean);
  return `${direct.status}, ${direct.blocks || 'no blocks'}, ${stop}${problems.length > 0 ? `; ${problems.join('; ')}` : ''}`;
}
