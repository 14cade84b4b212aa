import { cacheQuery, CacheQuery, QueryCache, queryCache } from './cache-query'

/** A stand-in for a query function that counts how often it would reach the database. */
function source() {
  let calls = 0
  return jest.fn(async (sql: string, ...params: unknown[]): Promise<{ sql: string; params: unknown[]; at: number }> => {
    calls += 1
    await Promise.resolve()
    return { sql, params, at: calls }
  })
}

describe('Task 4: cacheQuery (unit)', () => {
  beforeEach(() => queryCache.clear())

  it('answers the second identical call from the cache, and whitespace differences do not matter', async () => {
    const cache = new QueryCache()
    const fn = source()
    const cached = cacheQuery(fn, { cache, scope: 'unit' })
    const first = await cached('SELECT * FROM users WHERE age > ?', 30)
    const second = await cached('SELECT *  FROM users\n WHERE age > ?', 30)
    expect(second).toBe(first)
    expect(fn).toHaveBeenCalledTimes(1)
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, size: 1, hitRate: 0.5 })
  })

  it('misses for other parameters, and takes the SQL from a { query } argument too', async () => {
    const fn = jest.fn(async ({ query, limit }: { query: string; limit: number }) => Promise.resolve(`${query}/${limit}`))
    const cached = cacheQuery(fn, { cache: new QueryCache(), scope: 'unit' })
    await cached({ query: 'SELECT * FROM users', limit: 1 })
    await cached({ query: 'SELECT * FROM users', limit: 2 })
    await cached({ limit: 1, query: 'SELECT  * FROM users' })
    expect(fn).toHaveBeenCalledTimes(2)
  })

  it('keeps results of different scopes apart', async () => {
    const cache = new QueryCache()
    const fn = source()
    await cacheQuery(fn, { cache, scope: 'a' })('SELECT 1')
    await cacheQuery(fn, { cache, scope: 'b' })('SELECT 1')
    expect(fn).toHaveBeenCalledTimes(2)
  })

  it('shares one query among identical calls in flight', async () => {
    const cache = new QueryCache()
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const fn = jest.fn(async (sql: string) => {
      await gate
      return [sql]
    })
    const cached = cacheQuery(fn, { cache, scope: 'unit' })
    const calls = Array.from({ length: 10 }, () => cached('SELECT * FROM users'))
    expect(cache.stats().inFlight).toBe(1)
    release()
    const results = await Promise.all(calls)
    expect(fn).toHaveBeenCalledTimes(1)
    expect(new Set(results).size).toBe(1)
    expect(cache.stats()).toMatchObject({ misses: 1, shared: 9, inFlight: 0 })
  })

  it('does not keep errors: the next call tries again', async () => {
    const cache = new QueryCache()
    let n = 0
    const fn = jest.fn(async (_sql: string) => {
      await Promise.resolve()
      n += 1
      if (n === 1) throw new Error('boom')
      return n
    })
    const cached = cacheQuery(fn, { cache, scope: 'unit' })
    await expect(cached('SELECT 1')).rejects.toThrow('boom')
    await expect(cached('SELECT 1')).resolves.toBe(2)
    await expect(cached('SELECT 1')).resolves.toBe(2)
    expect(fn).toHaveBeenCalledTimes(2)
  })

  it('expires results after the TTL', async () => {
    const cache = new QueryCache({ ttl: 40 })
    const fn = source()
    const cached = cacheQuery(fn, { cache, scope: 'unit' })
    await cached('SELECT * FROM users')
    await cached('SELECT * FROM users')
    expect(fn).toHaveBeenCalledTimes(1)
    await new Promise((r) => setTimeout(r, 80))
    await cached('SELECT * FROM users')
    expect(fn).toHaveBeenCalledTimes(2)
  })

  it('stays bounded over 100,000 distinct queries', async () => {
    const cache = new QueryCache({ max: 1000 })
    const fn = source()
    const cached = cacheQuery(fn, { cache, scope: 'unit' })
    // half differ by parameter, half by SQL text
    for (let i = 0; i < 100_000; i += 1) await (i % 2 === 0 ? cached('SELECT * FROM users WHERE id = ?', i) : cached(`SELECT * FROM users WHERE id = ${i}`))
    expect(fn).toHaveBeenCalledTimes(100_000)
    expect(cache.size).toBeLessThanOrEqual(1000)
    cache.clear()
    for (let i = 0; i < 100_000; i += 1) await cached('SELECT * FROM users WHERE id = ?', i)
    expect(fn).toHaveBeenCalledTimes(200_000)
    expect(cache.size).toBeLessThanOrEqual(1000)
    expect(cache.stats()).toMatchObject({ size: 1000, inFlight: 0, misses: 200_000 })
    // the most recent ones are still there, the oldest were evicted
    await cached('SELECT * FROM users WHERE id = ?', 99_999)
    await cached('SELECT * FROM users WHERE id = ?', 0)
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 200_001 })
  })

  it('drops results that read a table when it is invalidated, and only those', async () => {
    const cache = new QueryCache()
    const fn = source()
    const cached = cacheQuery(fn, { cache, scope: 'inv' })
    await cached('SELECT * FROM users')
    await cached('SELECT * FROM posts')
    await cached('SHOW TABLES')
    cache.invalidate(['users'], { scope: 'inv' })
    await cached('SELECT * FROM users')
    await cached('SELECT * FROM posts')
    await cached('SHOW TABLES')
    // users re-read; posts kept; SHOW (tables unknown) re-read after any write
    expect(fn.mock.calls.map((c) => c[0])).toEqual(['SELECT * FROM users', 'SELECT * FROM posts', 'SHOW TABLES', 'SELECT * FROM users', 'SHOW TABLES'])
    expect(cache.stats().stale).toBe(2)
  })

  it('does not keep a result whose table was written while the query ran', async () => {
    const cache = new QueryCache()
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    let calls = 0
    const fn = jest.fn(async (_sql: string): Promise<number> => {
      calls += 1
      await gate
      return calls
    })
    const cached = cacheQuery(fn, { cache, scope: 'race' })
    const running = cached('SELECT * FROM users')
    cache.invalidate('users', { scope: 'race' })
    // a call after the write must not join the read that started before it
    const after = cached('SELECT * FROM users')
    release()
    await Promise.all([running, after])
    expect(fn).toHaveBeenCalledTimes(2)
    await cached('SELECT * FROM users')
    expect(fn).toHaveBeenCalledTimes(2)
  })

  it('runs writes through and invalidates what they write', async () => {
    const cache = new QueryCache()
    const fn = source()
    const cached = cacheQuery(fn, { cache, scope: 'w' })
    await cached('SELECT * FROM users')
    await cached('UPDATE users SET age = ? WHERE id = ?', 1, 1)
    await cached('UPDATE users SET age = ? WHERE id = ?', 1, 1)
    await cached('SELECT * FROM users')
    expect(fn).toHaveBeenCalledTimes(4)
    expect(cache.size).toBe(1)
  })

  it('clear() empties it; resetStats() zeroes the counters', async () => {
    const fn = source()
    const cached = cacheQuery(fn, { scope: 'shared' })
    await cached('SELECT 1')
    await cached('SELECT 1')
    expect(queryCache.size).toBe(1)
    queryCache.clear()
    expect(queryCache.size).toBe(0)
    await cached('SELECT 1')
    expect(fn).toHaveBeenCalledTimes(2)
    queryCache.resetStats()
    expect(queryCache.stats()).toMatchObject({ hits: 0, misses: 0, shared: 0, stale: 0, hitRate: 0 })
  })

  it('needs SQL among the arguments, or a `key`', async () => {
    const cached = cacheQuery(async (n: number) => Promise.resolve(n), { scope: 'k' })
    await expect(cached(5)).rejects.toThrow(new TypeError('Expected a SQL string (or { query }) among the arguments of the cached function, got 5.'))
    const fn = jest.fn(async (n: number) => Promise.resolve(n * 2))
    const keyed = cacheQuery(fn, { scope: 'k', key: (n) => `double:${n}` })
    await keyed(5)
    await keyed(5)
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('rejects bad cache options with a TypeError naming the value', () => {
    expect(() => new QueryCache({ max: 0 })).toThrow(new TypeError('Expected `max` to be a positive integer, got 0.'))
    expect(() => new QueryCache({ ttl: -1 })).toThrow(new TypeError('Expected `ttl` to be a non-negative number of milliseconds, got -1.'))
    expect(() => cacheQuery(async () => Promise.resolve(1), { cache: {} as QueryCache })).toThrow(TypeError)
  })

  it('has a class-method form built on the same code, keeping `this`', async () => {
    const cache = new QueryCache()
    class Reports {
      runs = 0
      @CacheQuery({ cache, scope: 'class' })
      async run(query: string, year: number): Promise<string> {
        this.runs += 1
        return Promise.resolve(`${query}:${year}`)
      }
    }
    const reports = new Reports()
    await reports.run('SELECT * FROM sales WHERE year = ?', 2024)
    await expect(reports.run('SELECT * FROM sales WHERE year = ?', 2024)).resolves.toBe('SELECT * FROM sales WHERE year = ?:2024')
    expect(reports.runs).toBe(1)
  })
})
