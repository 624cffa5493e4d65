-- POST /auth/login for users hashed with the production argon2id parameters.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA") .. "/?.lua"
local c = require("common")
local emails

c.seed()
emails = c.lines(os.getenv("BENCH_DIR") .. "/login_emails.txt")

function request()
  local body = string.format('{"email":"%s","password":"bench-password-1"}', c.pick(emails))
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, body)
end
