/** cache_page for the messages list: an LRU map of at most `max` entries (0 stores nothing). */
export class PageCache<TValue> {
  private readonly max: number
  // a Map keeps insertion order: the first key is the least recently used
  private readonly entries = new Map<string, TValue>()

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 0) {
      throw new TypeError(`Expected \`max\` to be a non-negative integer, got ${String(max)}.`)
    }
    this.max = max
  }

  get(key: string): TValue | undefined {
    if (!this.entries.has(key)) return undefined
    const value = this.entries.get(key) as TValue
    // a get is a use: move the key to the end
    this.entries.delete(key)
    this.entries.set(key, value)
    return value
  }

  set(key: string, value: TValue): void {
    if (this.max === 0) return
    this.entries.delete(key)
    this.entries.set(key, value)
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value
      if (oldest === undefined) break
      this.entries.delete(oldest)
    }
  }

  get size(): number {
    return this.entries.size
  }
}
