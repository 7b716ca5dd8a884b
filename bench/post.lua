-- wrk: POST the body in BENCH_BODY_FILE with the headers the scenario needs.
local file = io.open(os.getenv("BENCH_BODY_FILE"), "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["content-type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.headers["x-api-key"] = "bench"
-- BENCH_HEADERS: more headers, one "name: value" a line (a peer that routes on headers, Portkey).
for name, value in string.gmatch(os.getenv("BENCH_HEADERS") or "", "([^:\n]+):%s*([^\n]*)") do
  wrk.headers[name] = value
end

-- Latency percentiles as one JSON line, so the runner reads numbers, not wrk's text.
done = function(summary, latency, requests)
  io.write(string.format('{"requests":%d,"errors":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
