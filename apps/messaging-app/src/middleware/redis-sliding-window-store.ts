import type { Redis } from 'ioredis'
import type { IncrCallback, RateLimitStore } from './rate-limit-store'

const SLIDING_WINDOW_SCRIPT = `
local key, now, window, max, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < max then
  redis.call('ZADD', key, now, member)
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', key, window)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local ttl = window
if oldest[2] then ttl = tonumber(oldest[2]) + window - now end
if allowed == 1 then return {count, ttl} end
return {max + 1, ttl}
`

/**
 * The same sliding window in Redis (one atomic Lua script), shared by every instance behind a balancer.
 *
 * @example
 * await app.register(rateLimit, { global: false, store: redisSlidingWindowStore(redis) })
 */
export function redisSlidingWindowStore(redis: Redis, options: { readonly prefix?: string; readonly now?: () => number } = {}): new () => RateLimitStore {
  const prefix = options.prefix ?? 'alx:messaging:rl:'
  const now = options.now ?? Date.now
  let sequence = 0
  return class RedisSlidingWindowStore implements RateLimitStore {
    incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
      const at = now()
      const member = `${at}:${process.pid}:${(sequence += 1)}`
      redis
        .eval(SLIDING_WINDOW_SCRIPT, 1, `${prefix}${key}`, at, timeWindow, max, member)
        .then((result) => {
          const [current, ttl] = result as [number, number]
          callback(null, { current, ttl })
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
    }

    child(): RateLimitStore {
      return this
    }
  }
}
