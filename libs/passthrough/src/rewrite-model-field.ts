import { findTopLevelMembers } from './json-top-level-members';

/**
 * Replaces the value of the top-level `"model"` member in raw JSON bytes and leaves every
 * other byte alone: re-serializing would reorder nothing but could still change number
 * spellings, escapes and whitespace, and Anthropic signs thinking blocks by their exact
 * content (docs/protocol.md §9.1). Used on request bodies (client name → upstream name) and on
 * unary response bodies (upstream name → the client's). Duplicate top-level keys are all
 * rewritten, since servers differ on which one they read. Input that is not a JSON object,
 * or has no top-level `model`, is returned as is (the same Buffer).
 */
export function rewriteModelField(bytes: Buffer, model: string): Buffer {
  const ranges = findTopLevelMembers(bytes, 'model');
  if (ranges === undefined || ranges.length === 0) return bytes;
  const value = Buffer.from(JSON.stringify(model), 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (const range of ranges) {
    parts.push(bytes.subarray(from, range.start), value);
    from = range.end;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}
