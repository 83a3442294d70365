-- wrk script for bench/http/run.sh: one GET route, its path built per request so that caches do not flatter.
--   wrk ... -H "Authorization: Bearer TOKEN" -s bench/http/wrk.lua http://127.0.0.1:PORT/ -- PATH [ACCOUNTS] [CURSORS] [FIRST]
-- PATH is the request path; in it
--   {ref}     becomes DP-%06d with a number drawn at random in FIRST..ACCOUNTS (FIRST: 1 unless given), for
--             each request;
--   {cursor}  becomes an entry drawn at random from the list the Lua file CURSORS returns
--             (`return { "...", ... }`, each already URL-encoded; written by bench/http/walk.py).
-- done() prints one line for run.sh to read:
--   RESULT p50_ms=.. p99_ms=.. max_ms=.. rps=.. requests=.. seconds=.. connect=.. read=.. write=.. status=.. timeout=..
-- (status: responses 400 and above; timeout: responses slower than --timeout, or none).

local counter = 0

-- Main state: numbers the threads, so that each seeds its own random sequence.
function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

local template, accounts, cursors
local first_account = 1

-- Plain-text replacement: cursors are URL-encoded and hold '%', which gsub would read as a capture.
local function replace(s, placeholder, value)
  local i, j = s:find(placeholder, 1, true)
  if not i then return s end
  return s:sub(1, i - 1) .. value .. s:sub(j + 1)
end

-- Each thread: args[0] is the URL, then the arguments after "--".
function init(args)
  template = args[1] or wrk.path
  accounts = tonumber(args[2] or "") or 0
  first_account = tonumber(args[4] or "") or 1
  if args[3] and args[3] ~= "" then
    cursors = dofile(args[3])
  end
  math.randomseed(os.time() * 1000 + (thread_id or 0))
  math.random()
  math.random()
end

function request()
  local path = template
  if accounts > 0 then
    path = replace(path, "{ref}", string.format("DP-%06d", math.random(first_account, accounts)))
  end
  if cursors and #cursors > 0 then
    path = replace(path, "{cursor}", cursors[math.random(#cursors)])
  end
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT p50_ms=%.2f p99_ms=%.2f max_ms=%.2f rps=%.1f requests=%d seconds=%.1f connect=%d read=%d write=%d status=%d timeout=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    seconds > 0 and summary.requests / seconds or 0, summary.requests, seconds,
    e.connect, e.read, e.write, e.status, e.timeout))
end
