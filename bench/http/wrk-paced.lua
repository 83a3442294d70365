-- bench/http/wrk.lua with each connection waiting 2 ms before each request: 16 connections then ask up to about
-- 8,000 requests a second, over the rate the /healthz target is set at (wrk alone asks as fast as it can).
dofile("bench/http/wrk.lua")

function delay()
  return 2
end
