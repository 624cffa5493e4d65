-- A storefront's category page: a category (descendants included; bench/run makes ten
-- parents with one child each), a price ceiling from a few a shopper would pick (about 2 %
-- to 40 % of the catalogue's prices, 199-49,999), newest first on three requests in four and
-- cheapest first on the fourth, as a shopper sorting the page would.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
local c = require("common")
local cats
local ceilings = {1000, 2500, 5000, 10000, 20000}

c.seed()
cats = c.lines(os.getenv("BENCH_DIR") .. "/category_ids.txt")

function request()
  local path = "/api/v1/products?category=" .. c.pick(cats) .. "&max_price=" .. c.pick(ceilings) .. "&limit=20"
  if math.random(1, 4) == 4 then path = path .. "&sort=price" end
  return wrk.format("GET", path)
end
