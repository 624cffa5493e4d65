-- Orders (by product_id, products without options) then pays them: each response that
-- creates an order queues its id, and the next request pays the oldest queued order with a
-- sandbox card. One customer per wrk thread,
-- so every queued order belongs to the token that pays it. Both kinds of request count in
-- wrk's totals: about half of the requests are payments.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
local c = require("common")
local ids
local token
local queue, head, tail = {}, 1, 0
local n = 0
local tag

c.seed()
ids = c.lines(os.getenv("BENCH_DIR") .. "/plain_product_ids.txt")
token = c.pick(c.lines(os.getenv("BENCH_DIR") .. "/tokens.txt"))
tag = tostring(math.random(1, 1e9))

local address = '{"name":"Bench","line1":"1 Load St","city":"Loopback","postal_code":"127","country":"US"}'
local auth = nil

function request()
  n = n + 1
  auth = auth or ("Bearer " .. token)
  if head <= tail then
    local order_id = queue[head]
    queue[head] = nil
    head = head + 1
    local body = string.format(
      '{"order_id":"%s","card":{"number":"4242424242424242","exp_month":12,"exp_year":2099,"cvc":"123"}}', order_id)
    return wrk.format("POST", "/api/v1/payments", {
      ["Content-Type"] = "application/json",
      ["Authorization"] = auth,
      ["Idempotency-Key"] = "benchpay-" .. tag .. "-" .. n,
    }, body)
  end
  local body = string.format('{"items":[{"product_id":"%s","quantity":1}],"shipping_address":%s}', c.pick(ids), address)
  return wrk.format("POST", "/api/v1/orders", {["Content-Type"] = "application/json", ["Authorization"] = auth}, body)
end

function response(status, headers, body)
  if status == 201 then
    local id = body:match('"id":"(ord_[%w]+)"')
    if id then
      tail = tail + 1
      queue[tail] = id
    end
  end
end
