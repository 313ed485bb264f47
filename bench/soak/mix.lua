-- wrk script for bench/soak: a mix of searches (50%), reads (38%) and writes (12%) against
-- the demo catalogue. Writes create variables with names unique per wrk thread and request.
-- done() prints one JSON line with throughput, errors and latency percentiles.
local words = {"rökning", "blodtryck", "hjärtinfarkt", "diabetes", "höft", "vikt", "kön",
               "datum", "stroke", "HbA1c", "längd", "läkemedel", "infarkt", "operation",
               "sjukhus", "ålder", "död", "rokning", "smoking", "ejektionsfraktion"}
local reads = {"/api/registers", "/api/registers/strokereg", "/api/variables/strokereg/akut/rokning",
               "/api/registers/diabetes/variables?limit=50", "/api/codelists/strokereg.rokare",
               "/api/terminology/concepts?q=diabetes&limit=10", "/healthz"}
local token = os.getenv("REGCAT_ADMIN_TOKEN") or ""
local threads = {}
local counter = 0
tid = 0  -- set per thread by setup()

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(tid * 7919 + 17)
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  local r = math.random(100)
  if r <= 50 then
    local w = words[math.random(#words)]
    return wrk.format("GET", "/api/variables?q=" .. urlencode(w) .. "&limit=20")
  elseif r <= 88 then
    return wrk.format("GET", reads[math.random(#reads)])
  else
    counter = counter + 1
    local name = string.format("soak_%d_%d", tid, counter)
    local body = string.format(
      '{"register":"strokereg","dataset":"akut","name":"%s","label":{"sv":"Belastningstest %d – åäö"},"datatype":"integer"}',
      name, counter)
    return wrk.format("POST", "/api/variables",
      {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.timeout + summary.errors.status
  io.write(string.format(
    '{"bench":"soak","seconds":%.1f,"requests":%d,"rps":%.1f,"errors":%d,"non_2xx":%d,' ..
    '"socket_errors":%d,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"p999_ms":%.2f,"max_ms":%.2f}\n',
    summary.duration / 1e6, summary.requests, summary.requests / (summary.duration / 1e6),
    errors, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
