import type { UsersRow } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { AsyncConnection, asyncFetchOlderUsers, asyncFetchUsers, fetchConcurrently, measureEventLoopLag, onConnection, seedCourseUsers } from '../../src'
import { ParallelismProbe, byId, createSlowUsersView, expectedUsers, median, timed, withDatabaseUrl } from './helpers'

const SLOW_MS = 400

describe('Task 2: asyncFetchUsers, asyncFetchOlderUsers and fetchConcurrently really run concurrently', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let db: TestDatabase
    let slow: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await seedCourseUsers(db)
      slow = await createTestDb(dialect)
      await createSlowUsersView(slow, SLOW_MS)
    })
    afterAll(async () => {
      await db[Symbol.asyncDispose]()
      await slow[Symbol.asyncDispose]()
    })

    it('asyncFetchUsers returns every user and asyncFetchOlderUsers those older than 40', async () => {
      expect(byId(await asyncFetchUsers({ db }))).toEqual(expectedUsers())
      expect(byId(await asyncFetchOlderUsers({ db }))).toEqual(expectedUsers().filter((u) => (u.age ?? 0) > 40))
      expect(byId(await asyncFetchOlderUsers({ db, minAge: 60 }))).toEqual(expectedUsers().filter((u) => (u.age ?? 0) > 60))
      expect(AsyncConnection.openCount).toBe(0)
    })

    it('fetchConcurrently returns [all, older] and leaves nothing open', async () => {
      const [all, older] = await fetchConcurrently({ db })
      expect(byId(all)).toEqual(expectedUsers())
      expect(byId(older)).toEqual(expectedUsers().filter((u) => (u.age ?? 0) > 40))
      expect(AsyncConnection.openCount).toBe(0)
      expect(db.poolStats().used).toBe(0)
    })

    it('takes no arguments, like the original: it reads DATABASE_URL (else the embedded SQLite file)', async () => {
      const [all, older] = await withDatabaseUrl(db.rawUrl, () => fetchConcurrently())
      expect(byId(all)).toEqual(expectedUsers())
      expect(byId(older)).toEqual(expectedUsers().filter((u) => (u.age ?? 0) > 40))
      expect(byId(await withDatabaseUrl(db.rawUrl, () => asyncFetchUsers()))).toEqual(expectedUsers())
    })

    it(`overlaps two slow queries: concurrent ≤ 0.75 × sequential (each ~${SLOW_MS} ms)`, async () => {
      const sequential = async (): Promise<UsersRow[][]> => [await asyncFetchUsers({ db: slow }), await asyncFetchOlderUsers({ db: slow })]
      let peak = 0
      const concurrent = async (): Promise<UsersRow[][]> => {
        const off = onConnection((e) => (peak = Math.max(peak, e.open)))
        try {
          return await fetchConcurrently({ db: slow })
        } finally {
          off()
        }
      }
      await using cpu = await ParallelismProbe.start()
      await concurrent() // warm-up: thread start-up code paths, page cache
      // SQLite's recursive CTE is CPU work: it overlaps only as well as two threads can on this machine right now
      // (0.5 on two idle cores; near 1.0 while turbo runs other packages' tests on them), so the bar allows for
      // that, and a measurement spoiled by a burst of outside load is taken again, up to three times. SLEEP needs no CPU.
      const attempts: string[] = []
      let passed = false
      let lastSequentialMs: number | undefined
      for (let attempt = 1; attempt <= 3 && !passed; attempt++) {
        if (dialect === 'sqlite') {
          // The CTE was sized by timing a possibly loaded machine; if the queries now run faster than intended,
          // resize them from a real sequential run (the previous attempt's median once there is one: a single
          // first run can be slower than the ones that follow).
          const probeMs = lastSequentialMs ?? (await timed(sequential)).ms
          if (probeMs < 2 * SLOW_MS) {
            await createSlowUsersView(slow, SLOW_MS, (2.2 * SLOW_MS) / probeMs)
            await concurrent()
          }
        }
        const seq: number[] = []
        const conc: number[] = []
        const machine: number[] = []
        for (let round = 0; round < 3; round++) {
          const s = await timed(sequential)
          const c = await timed(concurrent)
          expect(c.result).toEqual(s.result)
          seq.push(s.ms)
          conc.push(c.ms)
          if (dialect === 'sqlite') machine.push(await cpu.ratio())
        }
        lastSequentialMs = median(seq)
        const ratio = median(conc) / median(seq)
        const bar = dialect === 'sqlite' ? Math.max(0.75, median(machine) + 0.15) : 0.75
        const slowEnough = median(seq) > 1.25 * SLOW_MS // the queries really are slow
        passed = slowEnough && ratio <= bar
        attempts.push(`${dialect} attempt ${attempt}: sequential ${median(seq).toFixed(0)} ms, concurrent ${median(conc).toFixed(0)} ms, ratio ${ratio.toFixed(2)} (bar ${bar.toFixed(2)}${machine.length ? `, two busy threads ${median(machine).toFixed(2)}` : ''})`)
      }
      console.info(attempts.join('\n'))
      expect(peak).toBe(2)
      expect({ passed, attempts }).toEqual({ passed: true, attempts })
    }, 90_000)

    it('keeps the event loop responsive while both slow queries run', async () => {
      // A blocked loop shows one stall as long as the queries every time; a free one only scheduler noise. A
      // measurement spoiled by a burst of outside load (other test files on the same two cores) is taken
      // again, up to three times: a blocked loop fails all three.
      const attempts: string[] = []
      let responsive = false
      for (let attempt = 1; attempt <= 3 && !responsive; attempt++) {
        const { result, lag } = await measureEventLoopLag(() => fetchConcurrently({ db: slow }))
        expect(result[1]).toEqual([{ id: 1, name: 'Slow Sam', email: 'sam@example.org', age: 41 }])
        expect(lag.durationMs).toBeGreaterThan(SLOW_MS / 2)
        responsive = lag.maxMs < SLOW_MS / 2 && lag.p99Ms < SLOW_MS / 4
        attempts.push(`attempt ${attempt}: ran ${lag.durationMs.toFixed(0)} ms, lag max ${lag.maxMs.toFixed(1)} ms, p99 ${lag.p99Ms.toFixed(1)} ms`)
      }
      expect({ responsive, attempts }).toEqual({ responsive: true, attempts })
    })

    if (dialect === 'sqlite') {
      it('(control) the same query through better-sqlite3 on the main thread does block the event loop', async () => {
        const { lag } = await measureEventLoopLag(() => slow.knex.raw('SELECT * FROM users'))
        // the whole query is one stall (a little less than SLOW_MS when the CTE runs faster than estimated)
        expect(lag.maxMs).toBeGreaterThan(0.9 * lag.durationMs - 50)
        expect(lag.maxMs).toBeGreaterThan(SLOW_MS / 4)
      })
    }
  })
})
