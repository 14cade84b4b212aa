import type { IncrCallback, RateLimitStore } from './rate-limit-store'

/**
 * A store for `@fastify/rate-limit` that keeps, per key (the client IP), the times of the requests of the
 * last `timeWindow` ms: a sliding window, not a fixed minute.
 */
export function memorySlidingWindowStore(options: { now?: () => number; maxKeys?: number } = {}): new () => RateLimitStore {
  const now = options.now ?? Date.now
  const maxKeys = options.maxKeys ?? 10_000

  return class MemorySlidingWindowStore implements RateLimitStore {
    // key -> times (ms) of its counted requests, oldest first; a Map remembers insertion order, used for LRU
    private readonly log = new Map<string, number[]>()

    incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
      const at = now()
      const times = (this.log.get(key) ?? []).filter((time) => time > at - timeWindow)

      let current: number
      if (times.length < max) {
        times.push(at)
        current = times.length
      } else {
        current = max + 1 // refused, and not recorded
      }

      // move the key to the end (most recently used), then forget the least recently used ones
      this.log.delete(key)
      this.log.set(key, times)
      while (this.log.size > maxKeys) {
        const oldestKey = this.log.keys().next().value
        if (oldestKey === undefined) break
        this.log.delete(oldestKey)
      }

      const oldest = times[0] ?? at
      const ttl = oldest + timeWindow - at
      callback(null, { current, ttl })
    }

    child(): RateLimitStore {
      return this
    }
  }
}
