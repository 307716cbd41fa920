-- wrk script: POST /v1/events with batches of native JSON lines. Every request carries fresh ids, so each
-- batch starts BATCH/4 new traces (a tagged trigger instance, a rule enforcement, a failed attempt, a retry).
-- Environment: BATCH (events per request, a multiple of 4; default 100).

local batch = tonumber(os.getenv("BATCH") or "100")
local counter = 0
local threads = 0

-- Runs in the main state: gives each thread a distinct prefix for its ids (a global in the thread's state).
function setup(thread)
  threads = threads + 1
  thread:set("thread_prefix", os.time() .. "-" .. threads)
end

local function cascade(prefix)
  local ti, re, ex = "ti-" .. prefix, "re-" .. prefix, "ex-" .. prefix
  return table.concat({
    '{"type":"trigger_instance","id":"' .. ti .. '","trigger":"core.st2.webhook","source":"webhook",' ..
      '"hook":"load","payload":{"ref":"main","n":' .. counter .. '},"trace":{"tag":"load-' .. prefix .. '"}}',
    '{"type":"rule_enforcement","id":"' .. re .. '","rule":{"id":"r-1","ref":"load.on_push"},' ..
      '"trigger_instance":"' .. ti .. '","execution":"' .. ex .. '"}',
    '{"type":"execution","id":"' .. ex .. '","action":"load.build","attempt":1,"status":"failed",' ..
      '"failure":"RECOVERABLE","failure_message":"timeout","duration_ms":12.5,"caused_by":{"type":"rule","id":"' .. re .. '"}}',
    '{"type":"execution","id":"' .. ex .. '","action":"load.build","attempt":2,"status":"succeeded",' ..
      '"duration_ms":8.25,"output":{"ok":true}}',
  }, "\n")
end

function request()
  counter = counter + 1
  local parts = {}
  for i = 1, batch / 4 do
    parts[i] = cascade((thread_prefix or "t") .. "-" .. counter .. "-" .. i)
  end
  return wrk.format("POST", "/v1/events", { ["Content-Type"] = "application/x-ndjson" }, table.concat(parts, "\n"))
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local ok = summary.requests - summary.errors.status
  io.write(string.format(
    "RESULT events requests=%d non2xx=%d socket_errors=%d events_per_s=%.0f requests_per_s=%.1f " ..
      "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    ok * batch / seconds, ok / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
