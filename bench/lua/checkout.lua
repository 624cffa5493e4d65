-- The v1.1 checkout: 1-3 random lines by variant (a third of the products have 12), the
-- shop's shipping rate (BENCH_RATE), the percentage code BENCH_CODE on every other request,
-- to a US address the tax rate applies to. POSTs to BENCH_ENDPOINT: /api/v1/orders (with a
-- unique Idempotency-Key) or /api/v1/checkout/quote (the same body; nothing is reserved).
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
local c = require("common")
local variants, tokens
local n = 0
local tag
local endpoint = os.getenv("BENCH_ENDPOINT") or "/api/v1/orders"
local rate = assert(os.getenv("BENCH_RATE"), "BENCH_RATE: the shipping rate id")
local code = os.getenv("BENCH_CODE")

c.seed()
variants = c.lines(os.getenv("BENCH_DIR") .. "/variant_ids.txt")
tokens = c.lines(os.getenv("BENCH_DIR") .. "/tokens.txt")
tag = tostring(math.random(1, 1e9))

local address = '{"name":"Bench","line1":"1 Load St","city":"Loopback","postal_code":"127","country":"US"}'

function request()
  n = n + 1
  local lines = {}
  for i = 1, math.random(1, 3) do
    lines[#lines + 1] = string.format('{"variant_id":"%s","quantity":1}', c.pick(variants))
  end
  local body = '{"items":[' .. table.concat(lines, ",") .. '],"shipping_address":' .. address ..
      ',"shipping_rate_id":"' .. rate .. '"'
  if code and n % 2 == 0 then body = body .. ',"discount_code":"' .. code .. '"' end
  body = body .. '}'
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. c.pick(tokens)}
  if endpoint == "/api/v1/orders" then headers["Idempotency-Key"] = "bench-co-" .. tag .. "-" .. n end
  return wrk.format("POST", endpoint, headers, body)
end
