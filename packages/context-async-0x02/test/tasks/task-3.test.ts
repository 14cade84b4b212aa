// Graded: Task 3 of tasks.md (advanced, not in the course) — gather, all-settled results, bounded concurrency.
import type { Dialect } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { fetchConcurrentlySettled, mapWithConcurrency, runQueries, runQueriesSettled } from '../../src/bounded'
import { allSettledOrThrow, gather, throwIfAllRejected } from '../../src/gather'
import { onConnection } from '../../src/async-connection'
import { SEEDED_USERS, byId, check, eventually, olderThan, onEachDatabase, seededDb, watchConnections } from './helpers'

/** A rejected promise already marked handled, so a solution that throws before awaiting it cannot crash the run. */
function rejected(reason: Error): Promise<never> {
  const promise = Promise.reject(reason)
  promise.catch(() => undefined)
  return promise
}

const delay = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms))

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function abortable(ms: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('finished'), ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    })
  })
}

/** A statement that keeps its connection busy for about 5 s and can be stopped between rows. */
function longQuery(dialect: string): string {
  return dialect === 'mysql'
    ? 'SELECT SLEEP(5) AS n'
    : 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000) SELECT x FROM c'
}

describe('Task 3: cancellation, all-settled results and bounded concurrency (advanced)', () => {
  describe('gather', () => {
    it('resolves with every result in order, like Promise.all', async () => {
      expect(await gather([() => delay(30, 'a'), () => delay(5, 'b'), () => Promise.resolve('c')])).toEqual(['a', 'b', 'c'])
    })

    it('when one task fails it aborts the others, and rejects with that error only after they settled', async () => {
      const boom = new Error('first failure')
      const settled: string[] = []
      const slowTask = (signal: AbortSignal): Promise<string> =>
        abortable(5000, signal).finally(() => {
          settled.push('slow one')
        })
      const started = performance.now()
      await expect(gather([slowTask, () => delay(20, undefined).then(() => Promise.reject(boom)), slowTask])).rejects.toBe(boom)
      check(performance.now() - started < 2000, 'gather should abort the other tasks through their signal, not wait the 5 s they would take')
      check(settled.length === 2, `gather rejected before the aborted tasks settled (${settled.length} of 2 had settled)`)
    })

    it('aborts every task when the caller’s signal aborts', async () => {
      const reason = new Error('caller gave up')
      const controller = new AbortController()
      setTimeout(() => controller.abort(reason), 20)
      await expect(gather([(signal) => abortable(5000, signal), (signal) => abortable(5000, signal)], { signal: controller.signal })).rejects.toBe(reason)
    })
  })

  describe('allSettledOrThrow and throwIfAllRejected', () => {
    it('return every outcome when at least one succeeded', async () => {
      const bad = new Error('one failed')
      expect(await allSettledOrThrow([Promise.resolve(1), rejected(bad)])).toEqual([
        { status: 'fulfilled', value: 1 },
        { status: 'rejected', reason: bad },
      ])
    })

    it('throw an AggregateError of every reason, in order, when all failed', async () => {
      const a = new Error('a failed')
      const b = new Error('b failed')
      const failure = await allSettledOrThrow([rejected(a), rejected(b)]).catch((err: unknown) => err)
      check(failure instanceof AggregateError, `expected an AggregateError when every promise failed, got ${String(failure)}`)
      expect((failure as AggregateError).errors).toEqual([a, b])
      expect(() => throwIfAllRejected([{ status: 'rejected', reason: a }])).toThrow(AggregateError)
      expect(throwIfAllRejected([])).toEqual([])
    })
  })

  describe('mapWithConcurrency', () => {
    it('never runs more than `concurrency` calls at once, and keeps input order', async () => {
      let running = 0
      let peak = 0
      const results = await mapWithConcurrency(
        [50, 10, 30, 20, 40, 10, 5],
        async (ms, index) => {
          running++
          peak = Math.max(peak, running)
          await delay(ms, undefined)
          running--
          return index * 10
        },
        { concurrency: 3 },
      )
      expect(results).toEqual([0, 10, 20, 30, 40, 50, 60])
      expect({ 'calls in flight at most': peak }).toEqual({ 'calls in flight at most': 3 })
    })

    it('rejects a concurrency that is not a positive integer with a TypeError', async () => {
      await expect(mapWithConcurrency([1], (x) => Promise.resolve(x), { concurrency: 0 })).rejects.toBeInstanceOf(TypeError)
    })
  })

  const envs: Array<{ dialect: Dialect; db: TestDatabase }> = []
  beforeAll(async () => {
    for (const dialect of testDialects()) envs.push({ dialect, db: await seededDb(dialect) })
  })
  afterAll(async () => {
    for (const { db } of envs) await db[Symbol.asyncDispose]()
  })

  it('runQueries returns each query’s rows in order, with at most `concurrency` connections open', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      let peak = 0
      const off = watchPeak((open) => (peak = Math.max(peak, open)))
      const ages = [20, 25, 30, 35, 40, 45, 50, 55, 60]
      let results: Array<Array<{ id: number }>>
      try {
        results = await runQueries<{ id: number }>(
          ages.map((age) => ({ sql: 'SELECT * FROM users WHERE age > ?', params: [age] })),
          { db, concurrency: 3 },
        )
      } finally {
        off()
      }
      expect(results.map((rows) => byId(rows as never))).toEqual(ages.map((age) => olderThan(age)))
      check(peak <= 3, `runQueries with concurrency 3 had ${peak} connections open at once`)
      check(watch.stillOpen().length === 0, `runQueries left ${watch.stillOpen().length} connection(s) open`)
    }))

  it('runQueries: a failing query cancels the others, and it rejects once every connection is closed', () =>
    onEachDatabase(envs, async ({ dialect, db }) => {
      using watch = watchConnections()
      const started = performance.now()
      await expect(runQueries([{ sql: longQuery(dialect) }, { sql: 'SELECT * FROM no_such_table' }], { db, concurrency: 2 })).rejects.toThrow(/no_such_table/)
      check(performance.now() - started < 4000, `runQueries took ${(performance.now() - started).toFixed(0)} ms to reject: cancel the 5 s sibling (pass the signal to conn.query)`)
      check(watch.stillOpen().length === 0, `runQueries rejected with ${watch.stillOpen().length} connection(s) still open`)
    }))

  it('runQueries: the caller’s signal cancels the queries and rejects with its reason', () =>
    onEachDatabase(envs, async ({ dialect, db }) => {
      using watch = watchConnections()
      const started = performance.now()
      await expect(runQueries([{ sql: longQuery(dialect) }], { db, signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' })
      check(performance.now() - started < 4000, `a cancelled runQueries took ${(performance.now() - started).toFixed(0)} ms: stop the query when the signal aborts`)
      check(await eventually(() => watch.stillOpen().length === 0), `a cancelled runQueries left ${watch.stillOpen().length} connection(s) open`)
    }))

  it('runQueriesSettled keeps partial results, and throws an AggregateError only when every query failed', () =>
    onEachDatabase(envs, async ({ db }) => {
      const [ok, bad] = await runQueriesSettled([{ sql: 'SELECT * FROM users WHERE age > ?', params: [40] }, { sql: 'SELECT * FROM no_such_table' }], { db })
      check(ok?.status === 'fulfilled', `the working query should be fulfilled, got ${JSON.stringify(ok)}`)
      expect(byId((ok as PromiseFulfilledResult<never[]>).value)).toEqual(olderThan(40))
      expect(bad).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/no_such_table/) as unknown }) as unknown })
      const failure = await runQueriesSettled([{ sql: 'SELECT * FROM nope_1' }, { sql: 'SELECT * FROM nope_2' }], { db }).catch((err: unknown) => err)
      check(failure instanceof AggregateError, `expected an AggregateError when every query failed, got ${String(failure)}`)
      expect((failure as AggregateError).errors).toHaveLength(2)
    }))

  it('fetchConcurrentlySettled gives both course results, or an AggregateError when both fail', () =>
    onEachDatabase(envs, async ({ dialect, db }) => {
      const [all, older] = await fetchConcurrentlySettled({ db })
      expect({ all: all.status === 'fulfilled' ? byId(all.value) : all, older: older.status === 'fulfilled' ? byId(older.value) : older }).toEqual({ all: SEEDED_USERS, older: olderThan(40) })
      await using empty = await createTestDb(dialect)
      const failure = await fetchConcurrentlySettled({ db: empty }).catch((err: unknown) => err)
      check(failure instanceof AggregateError, `expected an AggregateError when the users table is missing, got ${String(failure)}`)
    }))
})

/** Calls `report` with the number of connections open after every open/close. */
function watchPeak(report: (open: number) => void): () => void {
  let open = 0
  return onConnection((event) => {
    open += event.type === 'open' ? 1 : -1
    report(open)
  })
}
