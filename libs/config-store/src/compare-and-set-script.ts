import { STORED_REVISION_LUA } from './stored-revision-lua';

/**
 * The one write: compare the expected revision with the stored one, keep the old document in the
 * capped history, store the new one and publish the notice, all in one atomic script so two
 * writers can never both win. The document's JSON is assembled by concatenation, not cjson, so
 * the config comes back exactly as written (cjson turns `[]` into `{}`); the script returns the
 * text it stored, so the writer builds its snapshot from the very bytes the other replicas read.
 *
 * The revision compared is the stored document's own. The counter key is a high-water mark: the
 * next revision is above both, so revisions never repeat even after a hand edit, and when the
 * stored text is unreadable the counter stands in for it.
 *
 * KEYS: document, revision counter, history.
 * ARGV: expected revision ('' = any), the document JSON after the revision field, history length, channel.
 * Returns {1, newRevision, storedText} or {0, currentRevision}.
 */
export const COMPARE_AND_SET_SCRIPT = `${STORED_REVISION_LUA}
local old = redis.call('GET', KEYS[1])
local counter = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
local current = 0
if old then current = stored_revision(old) or counter end
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= current then
  return {0, current}
end
local revision = math.max(current, counter) + 1
keep_in_history(KEYS[3], old, tonumber(ARGV[3]))
local text = '{"schema_version":1,"revision":' .. string.format('%d', revision) .. ',' .. ARGV[2]
redis.call('SET', KEYS[1], text)
redis.call('SET', KEYS[2], string.format('%d', revision))
redis.call('PUBLISH', ARGV[4], string.format('%d', revision))
return {1, revision, text}
`;
