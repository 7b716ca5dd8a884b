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
 * A write carries a deadline in Redis's own clock (TIME, milliseconds): a script that reaches
 * Redis after it (Redis was paused, the writer already answered 503 at its command timeout)
 * writes nothing. Without it, a command queued in the socket would apply minutes later, after
 * the admin was told it failed (issue 15, case 6).
 *
 * KEYS: document, revision counter, history.
 * ARGV: expected revision ('' = any), the document JSON after the revision field, history length,
 * channel, deadline in Redis ms ('' = none).
 * Returns {1, newRevision, storedText, nowMs}, {0, currentRevision, '', nowMs}, or {2, 0, '', nowMs} past the deadline.
 */
export const COMPARE_AND_SET_SCRIPT = `${STORED_REVISION_LUA}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if ARGV[5] ~= '' and now > tonumber(ARGV[5]) then
  return {2, 0, '', now}
end
local old = redis.call('GET', KEYS[1])
local counter = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
local current = 0
if old then current = stored_revision(old) or counter end
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= current then
  return {0, current, '', now}
end
local revision = math.max(current, counter) + 1
keep_in_history(KEYS[3], old, tonumber(ARGV[3]))
local text = '{"schema_version":1,"revision":' .. string.format('%d', revision) .. ',' .. ARGV[2]
redis.call('SET', KEYS[1], text)
redis.call('SET', KEYS[2], string.format('%d', revision))
redis.call('PUBLISH', ARGV[4], string.format('%d', revision))
return {1, revision, text, now}
`;
