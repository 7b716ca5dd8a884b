import { STORED_REVISION_LUA } from './stored-revision-lua';

/**
 * Puts a replica's snapshot back into a Redis that lost it: restarted empty (it keeps nothing on
 * disk), or failed over to a copy that missed the latest writes. Only when Redis holds nothing or
 * a readable older revision, so replicas racing to restore converge on the highest one, and a
 * write made meanwhile is never overwritten. The text goes back byte for byte (same updated_at,
 * same updated_by), so replicas compare it as the same document. An unreadable document is left
 * alone: someone put it there, and replicas reject it and count it instead.
 *
 * KEYS: document, revision counter, history. ARGV: revision, document text, history length, channel.
 * Returns {1, revision} when restored, {0, storedRevision or -1} when not.
 */
export const RESTORE_SCRIPT = `${STORED_REVISION_LUA}
local revision = tonumber(ARGV[1])
local old = redis.call('GET', KEYS[1])
if old then
  local current = stored_revision(old)
  if current == nil then return {0, -1} end
  if current >= revision then return {0, current} end
end
keep_in_history(KEYS[3], old, tonumber(ARGV[3]))
local counter = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], string.format('%d', math.max(counter, revision)))
redis.call('PUBLISH', ARGV[4], string.format('%d', revision))
return {1, revision}
`;
