-- The storefront's product page, /shop/products/{id}, for random products, accepting gzip
-- as a browser does.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
local c = require("common")
local ids

c.seed()
ids = c.lines(os.getenv("BENCH_DIR") .. "/product_ids.txt")

function request()
  return wrk.format("GET", "/shop/products/" .. c.pick(ids), {["Accept-Encoding"] = "gzip"})
end
