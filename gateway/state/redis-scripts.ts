/**
 * The Redis store's Lua scripts: each runs atomically inside Redis, so no instance ever reads,
 * adds and writes back. Numbers travel as strings formatted with `%.17g`, which round-trips a
 * double exactly: Lua 5.1 numbers are doubles, so the arithmetic is the in-process store's.
 *
 * A counter is a hash { v: value, e: expiresAt (epoch ms, 0 = never) }; it reads as absent once
 * `e <= now` (the caller's clock), and Redis drops it a grace period after that.
 * A bucket is a hash { t: tokens, a: at (epoch ms) }, mirroring state/bucket.ts line for line.
 */

const FMT = `local function fmt(x) return string.format('%.17g', x) end`;

/**
 * KEYS[1] counter; ARGV: amount, limit ('' = none), expiresAt, now, graceMs.
 * Returns { applied (0|1), value }.
 */
export const INCR_SCRIPT = `${FMT}
local h = redis.call('HMGET', KEYS[1], 'v', 'e')
local now = tonumber(ARGV[4])
local v, e = tonumber(h[1]), tonumber(h[2])
if v ~= nil and e ~= 0 and e <= now then v = nil end
local fresh = v == nil
if fresh then v = 0; e = tonumber(ARGV[3]) end
local amount = tonumber(ARGV[1])
if ARGV[2] ~= '' and v + amount > tonumber(ARGV[2]) then return { 0, fmt(v) } end
v = v + amount
redis.call('HSET', KEYS[1], 'v', fmt(v), 'e', fmt(e))
if fresh then
  if e == 0 then redis.call('PERSIST', KEYS[1])
  else redis.call('PEXPIRE', KEYS[1], math.max(1, e - now) + tonumber(ARGV[5])) end
end
return { 1, fmt(v) }
`;

/**
 * KEYS[1] bucket; ARGV: cost, capacity, refillPerSecond, now, force (0|1).
 * Returns { allowed (0|1), remaining, retryAfterMs (-1 = never) }.
 */
export const TAKE_SCRIPT = `${FMT}
local h = redis.call('HMGET', KEYS[1], 't', 'a')
local cost, cap, refill = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now, force = tonumber(ARGV[4]), ARGV[5] == '1'
local tokens, at = tonumber(h[1]), tonumber(h[2])
local start = cap
if tokens ~= nil then
  local elapsed = math.max(0, now - at)
  start = math.min(cap, tokens + (elapsed * refill) / 1000)
end
local allowed, left, wait = 1, start, 0
if force or cost <= 0 or cost <= start then
  left = math.min(cap, start - cost)
else
  allowed = 0
  if refill > 0 then wait = math.ceil(((cost - start) * 1000) / refill) else wait = -1 end
end
if left >= cap then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 't', fmt(left), 'a', fmt(now))
  -- forgotten once it would be full again (a full bucket and a missing one are the same)
  if refill > 0 then redis.call('PEXPIRE', KEYS[1], math.ceil(((cap - left) * 1000) / refill) + 1000)
  else redis.call('PERSIST', KEYS[1]) end
end
return { allowed, fmt(left), fmt(wait) }
`;
