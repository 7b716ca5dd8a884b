/** `"model": "…"` as a member of an object (after `{` or `,`), never inside a string value. */
const MODEL_MEMBER = /([{,]\s*"model"\s*:\s*)"(?:[^"\\]|\\.)*"/;

/**
 * The `message_start` frame with the model name the client asked for: the one edit passthrough
 * makes to a stream. The first `"model"` member is `message.model` (it precedes the content,
 * which is empty in message_start); a `"model"` inside a string value is never matched. Every
 * other byte stays as the upstream sent it.
 */
export function renameMessageStartModel(frame: string, model: string): string {
  return frame.replace(MODEL_MEMBER, (_whole, prefix: string) => `${prefix}${JSON.stringify(model)}`);
}
