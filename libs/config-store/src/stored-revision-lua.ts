/**
 * Lua shared by the write scripts: the revision of a stored document, read from the document
 * itself, so a document an operator put there by hand (bypassing the admin API) still orders
 * correctly against later writes. nil when the text is not a document with a whole revision.
 */
export const STORED_REVISION_LUA = `
local function stored_revision(text)
  if not text then return nil end
  local ok, document = pcall(cjson.decode, text)
  if not ok or type(document) ~= 'table' then return nil end
  local revision = document.revision
  if type(revision) ~= 'number' or revision < 0 or revision ~= math.floor(revision) or revision > 9007199254740991 then return nil end
  return revision
end

local function keep_in_history(history_key, text, limit)
  if text then
    redis.call('LPUSH', history_key, text)
    redis.call('LTRIM', history_key, 0, limit - 1)
  end
end
`;
