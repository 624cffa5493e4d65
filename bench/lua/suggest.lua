-- Prefix completion over product names, for a handful of real prefixes.
local prefixes = {"co", "wir", "org", "lea", "ste", "cer", "bam", "wal", "mat", "por"}
function request()
  return wrk.format("GET", "/api/v1/search/suggest?q=" .. prefixes[math.random(1, #prefixes)])
end
