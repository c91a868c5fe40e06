-- Read-heavy mix: 80 % anonymous profile reads over 100 seeded users, 20 % GET /api/me with a
-- bearer token (the session check reads the database on every request, by design).
math.randomseed(os.time())
local token = os.getenv("TOKEN")
request = function()
  if math.random() < 0.2 then
    return wrk.format("GET", "/api/me", { ["Authorization"] = "Bearer " .. token })
  end
  return wrk.format("GET", "/api/users/user" .. math.random(1, 100))
end
