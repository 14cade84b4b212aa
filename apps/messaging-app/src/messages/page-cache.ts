/**
 * A small LRU map for message pages (the course's `cache_page(60)`, done safely: keys carry the
 * conversation's version, and entries are only read after the caller's membership was checked).
 *
 * @example
 * const cache = new PageCache<string[]>(2)
 * cache.set('a', ['x'])
 * cache.get('a') // ['x']
 */
export class PageCache<TValue> {
  readonly #max: number
  readonly #entries = new Map<string, TValue>()

  constructor(max: number) {
    if (!Number.isSafeInteger(max) || max < 0) throw new TypeError(`Expected \`max\` to be a non-negative integer, got ${String(max)}.`)
    this.#max = max
  }

  /** The cached value, refreshed as most recently used. */
  get(key: string): TValue | undefined {
    const value = this.#entries.get(key)
    if (value !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, value)
    }
    return value
  }

  /** Stores a value, evicting the least recently used entry beyond `max`. */
  set(key: string, value: TValue): void {
    if (this.#max === 0) return
    this.#entries.delete(key)
    this.#entries.set(key, value)
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
  }

  /** How many entries are held. */
  get size(): number {
    return this.#entries.size
  }
}
