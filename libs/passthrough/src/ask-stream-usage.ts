import { findTopLevelMembers } from './json-top-level-members';

const MEMBER = Buffer.from('"stream_options":{"include_usage":true},');

/**
 * A streamed chat request body that asks for the final usage chunk, so that every API's tokens
 * are counted (issue 17): `"stream_options":{"include_usage":true}` is inserted as the first
 * member, every other byte left alone. Only when the client sent no `stream_options` at all
 * (its own choice is never overridden); the relay then keeps the usage chunk from the client,
 * who did not ask for it. Undefined when nothing was inserted.
 */
export function askStreamUsage(bytes: Buffer): Buffer | undefined {
  const existing = findTopLevelMembers(bytes, 'stream_options');
  if (existing === undefined || existing.length > 0) return undefined;
  const open = bytes.indexOf(0x7b);
  let next = open + 1;
  while (next < bytes.length && (bytes[next] === 0x20 || bytes[next] === 0x0a || bytes[next] === 0x0d || bytes[next] === 0x09)) next++;
  if (bytes[next] === 0x7d) return undefined; // `{}`: no stream to ask about
  return Buffer.concat([bytes.subarray(0, open + 1), MEMBER, bytes.subarray(open + 1)]);
}
