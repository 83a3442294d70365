-- bench/http/wrk.lua with each connection waiting 3 ms before each request: 16 connections then ask about
-- 5,000 requests a second, the rate the /healthz target is set at (wrk alone asks as fast as it can).
dofile("bench/http/wrk.lua")

function delay()
  return 3
end
