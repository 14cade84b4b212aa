import { memorySlidingWindowStore, type RateLimitStore } from './sliding-window-store'

function incr(store: RateLimitStore, key: string, window = 60_000, max = 5) {
  let out: { current: number; ttl: number } | undefined
  store.incr(key, (_error, result) => (out = result), window, max)
  return out as { current: number; ttl: number }
}

describe('Task 11: rate limit of 5 message POSTs per minute per IP', () => {
  describe('memorySlidingWindowStore', () => {
    it('counts requests in a window that slides, not a fixed minute', () => {
      let now = 0
      const Store = memorySlidingWindowStore({ now: () => now })
      const store = new Store()
      for (const t of [0, 10_000, 20_000, 30_000, 40_000]) {
        now = t
        expect(incr(store, 'ip').current).toBeLessThanOrEqual(5)
      }
      now = 50_000
      const refused = incr(store, 'ip')
      expect(refused.current).toBe(6)
      expect(refused.ttl).toBe(10_000)
      // At 60.001 s the first request has left the window: one slot frees up, not all five.
      now = 60_001
      expect(incr(store, 'ip').current).toBe(5)
      expect(incr(store, 'ip').current).toBe(6)
    })

    it('keeps clients apart and shares one budget across routes (child returns the same store)', () => {
      const Store = memorySlidingWindowStore({ now: () => 1 })
      const store = new Store()
      for (let i = 0; i < 5; i += 1) incr(store, 'a')
      expect(incr(store, 'a').current).toBe(6)
      expect(incr(store, 'b').current).toBe(1)
      expect(store.child({})).toBe(store)
    })

    it('forgets the oldest clients beyond maxKeys', () => {
      const Store = memorySlidingWindowStore({ now: () => 1, maxKeys: 2 })
      const store = new Store()
      for (let i = 0; i < 5; i += 1) incr(store, 'a')
      incr(store, 'b')
      incr(store, 'c')
      expect(incr(store, 'a').current).toBe(1)
    })
  })
})
