-- POST /orders as in v1: 1-3 random lines by product_id (products without options), a unique
-- Idempotency-Key, the token of a random customer; no code, and no shipping rate (run before
-- the bench adds a shipping zone).
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
local c = require("common")
local ids, tokens
local n = 0
local tag

c.seed()
ids = c.lines(os.getenv("BENCH_DIR") .. "/plain_product_ids.txt")
tokens = c.lines(os.getenv("BENCH_DIR") .. "/tokens.txt")
tag = tostring(math.random(1, 1e9))

local address = '{"name":"Bench","line1":"1 Load St","city":"Loopback","postal_code":"127","country":"US"}'

function request()
  n = n + 1
  local lines = {}
  for i = 1, math.random(1, 3) do
    lines[#lines + 1] = string.format('{"product_id":"%s","quantity":1}', c.pick(ids))
  end
  local body = '{"items":[' .. table.concat(lines, ",") .. '],"shipping_address":' .. address .. '}'
  return wrk.format("POST", "/api/v1/orders", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. c.pick(tokens),
    ["Idempotency-Key"] = "bench-" .. tag .. "-" .. n,
  }, body)
end
