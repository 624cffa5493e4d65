-- GET /api/v1/products/{id} for random ids of the generated catalogue.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
local c = require("common")
local ids

c.seed()
ids = c.lines(os.getenv("BENCH_DIR") .. "/product_ids.txt")

function request()
  return wrk.format("GET", "/api/v1/products/" .. c.pick(ids))
end
