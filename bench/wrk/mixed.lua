-- 90/10: nine reads of the member's API pages for one new reply (POST,
-- JSON) to a discussion of their groups. BENCH_TOKEN: the Bearer token;
-- BENCH_READS: read paths separated by spaces; BENCH_POSTS: post ids to reply to.
local token = os.getenv("BENCH_TOKEN")
local reads, posts = {}, {}
for p in string.gmatch(os.getenv("BENCH_READS") or "/api/v1/feed", "%S+") do table.insert(reads, p) end
for p in string.gmatch(os.getenv("BENCH_POSTS") or "1", "%S+") do table.insert(posts, p) end
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept-Language"] = "fr"

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  n, writes, bad = 0, 0, 0
  math.randomseed(1000 + id)
end

local words = { "Merci", "pour", "ce", "partage", "nous", "avons", "essayé", "la", "grille", "en",
                "cinquième", "et", "les", "élèves", "ont", "apprécié", "l'autoévaluation" }

function request()
  n = n + 1
  if n % 10 == 0 then
    local post = posts[math.random(#posts)]
    local body = {}
    for i = 1, math.random(8, 30) do body[i] = words[math.random(#words)] end
    local json = '{"body":"' .. table.concat(body, " ") .. '."}'
    -- wrk.format takes these headers instead of wrk.headers: all of them here
    return wrk.format("POST", "/api/v1/posts/" .. post .. "/replies",
                      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token,
                        ["Accept-Language"] = "fr" }, json)
  end
  return wrk.format("GET", reads[(n % #reads) + 1])
end

function response(status, headers, body)
  if status == 201 then writes = writes + 1
  elseif status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local w, b = 0, 0
  for _, t in ipairs(threads) do
    w = w + t:get("writes")
    b = b + t:get("bad")
  end
  io.write(string.format("bench-writes %d\n", w))
  io.write(string.format("bench-bad-responses %d\n", b))
end
