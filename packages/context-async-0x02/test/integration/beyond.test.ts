import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import {
  AsyncConnection,
  asyncFetchUsers,
  fetchConcurrently,
  fetchConcurrentlySettled,
  onConnection,
  runQueries,
  runQueriesSettled,
  seedCourseUsers,
} from '../../src'
import { byId, expectedUsers, slowQuery, timed } from './helpers'

async function runningStatements(db: TestDatabase, tag: string): Promise<number> {
  const [rows] = (await db.knex.raw('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE ?', [`%${tag}%`])) as [Array<{ n: number }>]
  // the count includes this very statement, whose text contains the tag too
  return Number(rows[0]?.n ?? 0) - 1
}

/** Rows 1..n, produced as they are read: SQLite's recursive CTE streams; MariaDB materializes one, so use its SEQUENCE engine. */
function countTo(dialect: string): string {
  return dialect === 'mysql'
    ? 'SELECT seq AS x FROM seq_1_to_100000000 WHERE seq <= ?'
    : 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x FROM c'
}

describe('Task 3: cancellation, all-settled results and bounded concurrency', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let db: TestDatabase
    let empty: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await seedCourseUsers(db)
      empty = await createTestDb(dialect)
    })
    afterAll(async () => {
      await db[Symbol.asyncDispose]()
      await empty[Symbol.asyncDispose]()
    })

    it('stops a cancelled query, rejects with the abort reason, and keeps or frees its connection', async () => {
      const tag = `cancel_${dialect}_${Date.now()}`
      const sql = await slowQuery(db, { ms: 5000, rows: true, tag })
      await using conn = await AsyncConnection.open({ db })
      const { ms } = await timed(() => expect(conn.query(sql, [], { signal: AbortSignal.timeout(150) })).rejects.toMatchObject({ name: 'TimeoutError' }))
      expect(ms).toBeLessThan(2000)
      if (dialect === 'mysql') {
        // killed on the server, not merely abandoned by the client, and the connection went back to the pool
        expect(await runningStatements(db, tag)).toBe(0)
        expect(db.poolStats().used).toBe(0)
      }
      // the connection is usable again at once
      expect(await conn.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
    })

    it('rejects at once for a signal aborted before it starts, without connecting', async () => {
      const reason = new Error('user went away')
      const events: string[] = []
      const off = onConnection((e) => events.push(e.type))
      try {
        await expect(asyncFetchUsers({ db, signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
      } finally {
        off()
      }
      expect(events).toEqual([])
    })

    it('cancels the sibling when one of the concurrent queries fails, and rejects only once both are released', async () => {
      const slow = await slowQuery(db, { ms: 5000, rows: true })
      const { ms } = await timed(() => expect(runQueries([{ sql: slow }, { sql: 'SELECT * FROM no_such_table' }], { db, concurrency: 2 })).rejects.toThrow(/no_such_table/))
      expect(ms).toBeLessThan(2500)
      expect(AsyncConnection.openCount).toBe(0)
      expect(db.poolStats().used).toBe(0)
    })

    it('settles each query on its own, and throws an AggregateError only when all of them fail', async () => {
      const [ok, bad] = await runQueriesSettled([{ sql: 'SELECT * FROM users WHERE age > ?', params: [40] }, { sql: 'SELECT * FROM no_such_table' }], { db })
      expect(ok).toMatchObject({ status: 'fulfilled' })
      expect(byId((ok as PromiseFulfilledResult<never[]>).value)).toEqual(expectedUsers().filter((u) => (u.age ?? 0) > 40))
      expect(bad).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/no_such_table/) as unknown }) as unknown })

      const failure = await runQueriesSettled([{ sql: 'SELECT * FROM nope_1' }, { sql: 'SELECT * FROM nope_2' }], { db }).catch((err: unknown) => err)
      expect(failure).toBeInstanceOf(AggregateError)
      expect((failure as AggregateError).errors).toHaveLength(2)
      expect((failure as AggregateError).message).toMatch(/^All 2 queries failed: .*nope_1.*nope_2/)
    })

    it('fetchConcurrentlySettled gives both results, or an AggregateError when the users table is missing', async () => {
      const [all, older] = await fetchConcurrentlySettled({ db })
      expect(all.status === 'fulfilled' && byId(all.value)).toEqual(expectedUsers())
      expect(older.status === 'fulfilled' && byId(older.value)).toEqual(expectedUsers().filter((u) => (u.age ?? 0) > 40))
      const failure = await fetchConcurrentlySettled({ db: empty }).catch((err: unknown) => err)
      expect(failure).toBeInstanceOf(AggregateError)
      expect((failure as AggregateError).errors).toHaveLength(2)
      // the fail-fast version rejects with the first error instead
      await expect(fetchConcurrently({ db: empty })).rejects.toThrow(/users/)
    })

    it('streams a large result with backpressure, and stops the statement when the reader leaves early', async () => {
      const many = countTo(dialect)
      await using conn = await AsyncConnection.open({ db })
      let count = 0
      let sum = 0
      for await (const row of conn.stream<{ x: number }>(many, [25_000])) {
        count++
        sum += Number(row.x)
      }
      expect(count).toBe(25_000)
      expect(sum).toBe((25_000 * 25_001) / 2)

      // leaving after one row of an endless-looking result returns quickly and leaves the connection usable
      const tag = `stream_${dialect}_${Date.now()}`
      const huge = `${many} /* ${tag} */`
      const { ms } = await timed(async () => {
        for await (const row of conn.stream<{ x: number }>(huge, [50_000_000])) {
          expect(Number(row.x)).toBe(1)
          break
        }
      })
      // reading all 50M rows takes minutes; stopping takes well under a second on a quiet machine (4.4 s was seen at
      // load average 17 on these 2 cores: KILL QUERY opens a side connection)
      expect(ms).toBeLessThan(8000)
      if (dialect === 'mysql') expect(await runningStatements(db, tag)).toBe(0)
      expect(await conn.query('SELECT 3 AS three')).toEqual([{ three: 3 }])
    })

    it('ends a stream nobody finished reading when its connection closes', async () => {
      const conn = await AsyncConnection.open({ db })
      const rows = conn.stream<{ x: number }>(countTo(dialect), [50_000_000])
      expect((await rows.next()).value).toEqual({ x: 1 })
      // the reader walks away without break or return(); close must not wait for it forever
      const { ms } = await timed(() => conn.close())
      expect(ms).toBeLessThan(3000)
      expect(AsyncConnection.openCount).toBe(0)
      expect(db.poolStats().used).toBe(0)
    })

    it('never has more than `concurrency` connections open, and returns results in query order', async () => {
      const per = dialect === 'mysql' ? 'SELECT ? AS i, SLEEP(0.05) AS n' : (await slowQuery(db, { ms: 50 })).replace('SELECT count(*) AS n', 'SELECT ? AS i, count(*) AS n')
      const queries = Array.from({ length: 9 }, (_, i) => ({ sql: per, params: [i] }))
      let peak = 0
      let peakPool = 0
      const off = onConnection((e) => (peak = Math.max(peak, e.open)))
      const sampler = setInterval(() => (peakPool = Math.max(peakPool, db.poolStats().used)), 1)
      let results: Array<Array<{ i: number }>>
      try {
        results = await runQueries<{ i: number }>(queries, { db, concurrency: 3 })
      } finally {
        off()
        clearInterval(sampler)
      }
      expect(results.map((rows) => rows[0]?.i)).toEqual(queries.map((_, i) => i))
      expect(peak).toBe(3)
      expect(peakPool).toBeLessThanOrEqual(3)
      expect(AsyncConnection.openCount).toBe(0)
    })
  })

  it('drops the thread of a statement that cannot notice cancellation (one long SQLite step), then carries on', async () => {
    await using db = await createTestDb('sqlite')
    const aggregate = await slowQuery(db, { ms: 3000 })
    await using conn = await AsyncConnection.open({ db, cancelGraceMs: 50 })
    const { ms } = await timed(() => expect(conn.query(aggregate, [], { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' }))
    expect(ms).toBeLessThan(1000)
    // a fresh thread takes over the connection
    expect(await conn.query('SELECT 2 AS two')).toEqual([{ two: 2 }])
  })

  it('rejects bad concurrency and query lists with clear errors', async () => {
    await expect(runQueries([{ sql: 'SELECT 1' }], { url: 'sqlite::memory:', concurrency: 0 })).rejects.toThrow(new TypeError('Expected `concurrency` to be a positive integer, got 0.'))
    await expect(runQueries([{ sql: '' }], { url: 'sqlite::memory:' })).rejects.toThrow(/`sql` to be a non-empty string/)
    await expect(runQueries([null as unknown as { sql: string }], { url: 'sqlite::memory:' })).rejects.toThrow('Expected `queries[0]` to be { sql, params }, got null.')
    expect(await runQueries([], { url: 'sqlite::memory:' })).toEqual([])
  })
})
