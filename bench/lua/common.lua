-- Shared by the workload scripts: ids and tokens come from files bench/run writes, one
-- per line, so requests spread over the whole catalogue instead of hitting one row.
-- Scripts load their data when the chunk runs, not in init(): wrk also calls request()
-- once in a Lua state where init() never ran.
local M = {}

function M.lines(path)
  local out = {}
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    if #line > 0 then out[#out + 1] = line end
  end
  f:close()
  return out
end

function M.pick(list)
  return list[math.random(1, #list)]
end

function M.seed()
  -- Each wrk thread has its own Lua state; seed them apart.
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

return M
