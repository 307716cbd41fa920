-- wrk script: POST /v1/webhooks/load, one event per request; every other request carries St2-Trace-Tag.

local counter = 0

function request()
  counter = counter + 1
  local headers = { ["Content-Type"] = "application/json" }
  if counter % 2 == 0 then headers["St2-Trace-Tag"] = "load-webhook-" .. counter end
  local body = '{"repository":"tracelog","ref":"refs/heads/main","commit":"' .. counter .. '","pusher":"load"}'
  return wrk.format("POST", "/v1/webhooks/load", headers, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local ok = summary.requests - summary.errors.status
  io.write(string.format(
    "RESULT webhook requests=%d non2xx=%d socket_errors=%d events_per_s=%.0f requests_per_s=%.1f " ..
      "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    ok / seconds, ok / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
