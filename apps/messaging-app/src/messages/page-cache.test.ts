import { PageCache } from './page-cache'

describe('Task 18: caching conversation pages', () => {
  describe('PageCache', () => {
    it('evicts the least recently used entry beyond its size', () => {
      const cache = new PageCache<number>(2)
      cache.set('a', 1)
      cache.set('b', 2)
      expect(cache.get('a')).toBe(1)
      cache.set('c', 3)
      expect(cache.get('b')).toBeUndefined()
      expect(cache.get('a')).toBe(1)
      expect(cache.get('c')).toBe(3)
      expect(cache.size).toBe(2)
    })

    it('stores nothing with size 0 and refuses a bad size', () => {
      const cache = new PageCache<number>(0)
      cache.set('a', 1)
      expect(cache.get('a')).toBeUndefined()
      expect(() => new PageCache(-1)).toThrow(new TypeError('Expected `max` to be a non-negative integer, got -1.'))
    })
  })
})
