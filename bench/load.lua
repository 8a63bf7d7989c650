-- wrk script for bench/load.py: draws each request from the season's ids (LOAD_DATA), counts
-- answers by status, stops a thread after its share of LOAD_REQUESTS, prints one JSON line.
--
-- LOAD_DATA lines: "requirements <id>...", "capabilities <id>...", "member <token> <capability>
-- <chain>", "mix <kind> <percent>", "etag <requirement id> <etag>".

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("number", counter)
   table.insert(threads, thread)
end

local function words(line)
   local out = {}
   for w in line:gmatch("%S+") do table.insert(out, w) end
   return out
end

local data = { requirements = {}, capabilities = {}, members = {}, mix = {} }
for line in io.lines(os.getenv("LOAD_DATA")) do
   local w = words(line)
   if w[1] == "requirements" or w[1] == "capabilities" then
      for i = 2, #w do table.insert(data[w[1]], w[i]) end
   elseif w[1] == "member" then
      table.insert(data.members, { token = w[2], capability = w[3], chain = w[4] })
   elseif w[1] == "mix" then
      table.insert(data.mix, { kind = w[2], share = tonumber(w[3]) })
   elseif w[1] == "etag" then
      data.etag = { id = w[2], tag = w[3] }
   end
end

local mode = os.getenv("LOAD_MODE")
local limit = tonumber(os.getenv("LOAD_REQUESTS"))
statuses = {} -- global: done() reads it from each thread
local answered = 0
local sent = 0
local edited = 0

local THREADS = 2 -- wrk is started with --threads 2

function init(args)
   math.randomseed(1000 + number)
   limit = math.ceil(limit / THREADS)
end

local function pick(list) return list[math.random(#list)] end

local function kind()
   local roll, sum = math.random(100), 0
   for _, entry in ipairs(data.mix) do
      sum = sum + entry.share
      if roll <= sum then return entry.kind end
   end
   return data.mix[1].kind
end

local function bearer(member)
   return { ["Authorization"] = "Bearer " .. member.token, ["Content-Type"] = "application/json" }
end

local builders = {
   read_requirement = function()
      return wrk.format("GET", "/v1/requirements/" .. pick(data.requirements))
   end,
   read_capability = function()
      return wrk.format("GET", "/v1/capabilities/" .. pick(data.capabilities))
   end,
   list_requirements = function()
      return wrk.format("GET", "/v1/requirements?limit=20&chain=" .. pick(data.members).chain)
   end,
   list_capabilities = function()
      return wrk.format("GET", "/v1/capabilities?limit=20&chain=" .. pick(data.members).chain)
   end,
   match_requirement = function()
      local member = pick(data.members)
      return wrk.format("GET", "/v1/requirements/" .. pick(data.requirements) .. "/matches?top=10",
         bearer(member))
   end,
   match_capability = function()
      local member = pick(data.members)
      return wrk.format("GET", "/v1/capabilities/" .. member.capability .. "/matches?top=10",
         bearer(member))
   end,
   create_capability = function()
      local member = pick(data.members)
      sent = sent + 1
      local body = string.format(
         '{"title": "光伏接线盒 junction box %d", "description": "IP68 接线盒, 连接器 and cable ' ..
         'assemblies for PV modules, batch %d", "keywords": ["接线盒", "junction box", "IP68"], ' ..
         '"chain_id": %s}', sent, number, member.chain)
      return wrk.format("POST", "/v1/capabilities", bearer(member), body)
   end,
   edit_capability = function()
      -- Each thread edits its own members' capabilities in turn, so two edits of one capability
      -- are never in flight at once (without If-Match that is a 409 by design, not a fault).
      edited = edited + 1
      local member = data.members[(edited * THREADS + number - 1) % #data.members + 1]
      sent = sent + 1
      local body = string.format('{"description": "Updated by the load run, edit %d-%d"}', number, sent)
      return wrk.format("PATCH", "/v1/capabilities/" .. member.capability, bearer(member), body)
   end,
}

function request()
   if mode == "cached" then
      return wrk.format("GET", "/v1/requirements/" .. data.etag.id,
         { ["If-None-Match"] = data.etag.tag })
   elseif mode == "hot" then
      return wrk.format("GET", "/v1/requirements/" .. data.etag.id)
   end
   return builders[kind()]()
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   answered = answered + 1
   if answered >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         merged[tostring(status)] = (merged[tostring(status)] or 0) + n
      end
   end
   local bad = 0
   local parts = {}
   for status, n in pairs(merged) do
      if tonumber(status) >= 400 then bad = bad + n end
      table.insert(parts, string.format('"%s": %d', status, n))
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, ' ..
      '"errors": %d, "statuses": {%s}}\n',
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
      bad + e.connect + e.read + e.write + e.timeout, table.concat(parts, ", ")))
end
