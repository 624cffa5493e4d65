-- The product list with a category filter (descendants included) and a price ceiling.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
local c = require("common")
local cats

c.seed()
cats = c.lines(os.getenv("BENCH_DIR") .. "/category_ids.txt")

function request()
  return wrk.format("GET", "/api/v1/products?category=" .. c.pick(cats) .. "&max_price=5000&limit=20")
end
