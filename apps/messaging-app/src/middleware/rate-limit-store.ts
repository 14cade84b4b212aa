/** How a store answers one `incr`: the count in the window (over `max` means refused) and ms until a slot frees. */
export type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void

/** The store contract of `@fastify/rate-limit` (its `FastifyRateLimitStore`). */
export interface RateLimitStore {
  incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void
  child(routeOptions: unknown): RateLimitStore
}

/**
 * A store class that builds the real one (`make()`) on the first request, not when the app is built, and
 * reports a store that throws as an error (the limiter is registered with `skipOnError`, so it fails open).
 *
 * @example
 * await app.register(rateLimit, { global: false, store: lazyStore(() => memorySlidingWindowStore()) })
 */
export function lazyStore(make: () => new () => RateLimitStore): new () => RateLimitStore {
  return class LazyStore implements RateLimitStore {
    #inner: RateLimitStore | undefined

    incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
      let inner: RateLimitStore
      try {
        inner = this.#inner ??= new (make())()
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)))
        return
      }
      try {
        inner.incr(key, callback, timeWindow, max)
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)))
      }
    }

    child(): RateLimitStore {
      return this
    }
  }
}
