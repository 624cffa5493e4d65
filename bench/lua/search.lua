-- Search for the word in BENCH_QUERY (a common or a rare one).
local q = os.getenv("BENCH_QUERY") or "cotton"
function request()
  return wrk.format("GET", "/api/v1/search?q=" .. q .. "&limit=20")
end
