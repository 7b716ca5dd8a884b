import type { AnthropicRequest } from '@turnout/protocol';
import { dropFieldsRewrite } from './hygiene-rewrite';
import type { HygieneStepResult } from './hygiene-step';

/**
 * Fields the rest of the gateway relies on. Config could name them, but dropping them would
 * only turn every request into a confusing upstream 400, so they are never dropped.
 */
const ENVELOPE_FIELDS: ReadonlySet<string> = new Set(['model', 'messages', 'max_tokens']);

/** Removes the configured top-level fields that are present (e.g. `context_management`). */
export function dropFields(request: AnthropicRequest, fields: readonly string[]): HygieneStepResult {
  const present = [...new Set(fields)].filter((field) => !ENVELOPE_FIELDS.has(field) && Object.hasOwn(request, field));
  if (present.length === 0) return undefined;
  const copy: Record<string, unknown> = { ...request };
  for (const field of present) delete copy[field];
  return { request: copy as AnthropicRequest, rewrite: dropFieldsRewrite(present) };
}
