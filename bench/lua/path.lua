-- GET BENCH_PATH, the same path each time (an image, a page), as a browser would ask for
-- it: accepting gzip.
local path = assert(os.getenv("BENCH_PATH"), "BENCH_PATH")
function request()
  return wrk.format("GET", path, {["Accept-Encoding"] = "gzip"})
end
