import type { IncrCallback, RateLimitStore } from './rate-limit-store'

export type { IncrCallback, RateLimitStore } from './rate-limit-store'

/**
 * A sliding-window log in memory: a request counts against the `timeWindow` ms before it, not against a
 * fixed minute, so a burst at a boundary cannot pass twice the limit. Refused requests are not recorded.
 *
 * @example
 * await app.register(rateLimit, { global: false, store: memorySlidingWindowStore() })
 */
export function memorySlidingWindowStore(options: { readonly now?: () => number; readonly maxKeys?: number } = {}): new () => RateLimitStore {
  const now = options.now ?? Date.now
  const maxKeys = options.maxKeys ?? 10_000
  return class MemorySlidingWindowStore implements RateLimitStore {
    readonly #hits = new Map<string, number[]>()

    incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
      const at = now()
      const kept = (this.#hits.get(key) ?? []).filter((t) => t > at - timeWindow)
      const allowed = kept.length < max
      if (allowed) kept.push(at)
      // Re-insert so the Map's order is recency: the first key is the one to evict.
      this.#hits.delete(key)
      this.#hits.set(key, kept)
      if (this.#hits.size > maxKeys) {
        const oldest = this.#hits.keys().next().value
        if (oldest !== undefined) this.#hits.delete(oldest)
      }
      const current = allowed ? kept.length : max + 1
      const ttl = Math.max(0, (kept[0] ?? at) + timeWindow - at)
      callback(null, { current, ttl })
    }

    // One window per client across every limited route: both message POST routes share the budget.
    child(): RateLimitStore {
      return this
    }
  }
}
