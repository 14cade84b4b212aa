// Graded: Task 2 of tasks.md — asyncFetchUsers, asyncFetchOlderUsers and fetchConcurrently (3-concurrent.py).
import type { Dialect } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { asyncFetchOlderUsers, asyncFetchUsers, fetchConcurrently } from '../../src/concurrent'
import { SEEDED_USERS, SLOW_SAM, byId, check, eventually, makeUsersSlow, olderThan, onEachDatabase, seededDb, watchConnections, watchStatements, withDatabaseUrl } from './helpers'

/** How long one read of the slow `users` view takes at least. */
const SLOW_MS = 700

describe('Task 2: concurrent asynchronous queries with Promise.all', () => {
  const envs: Array<{ dialect: Dialect; db: TestDatabase; slow: TestDatabase }> = []
  beforeAll(async () => {
    for (const dialect of testDialects()) {
      const slow = await createTestDb(dialect)
      await makeUsersSlow(slow, SLOW_MS)
      envs.push({ dialect, db: await seededDb(dialect), slow })
    }
  })
  afterAll(async () => {
    for (const { db, slow } of envs) {
      await db[Symbol.asyncDispose]()
      await slow[Symbol.asyncDispose]()
    }
  })

  it('asyncFetchUsers returns every user and closes its connection', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      expect(byId(await asyncFetchUsers({ db }))).toEqual(SEEDED_USERS)
      check(watch.opened.length === 1 && watch.stillOpen().length === 0, `asyncFetchUsers should open one connection through AsyncConnection.open and close it (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('asyncFetchOlderUsers returns the users older than 40 and closes its connection', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      expect({ 'users older than 40': byId(await asyncFetchOlderUsers({ db })) }).toEqual({ 'users older than 40': olderThan(40) })
      check(watch.opened.length === 1 && watch.stillOpen().length === 0, `asyncFetchOlderUsers should open one connection through AsyncConnection.open and close it (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('asyncFetchOlderUsers takes another minimum age as minAge', () =>
    onEachDatabase(envs, async ({ db }) => {
      expect({ 'users older than 60': byId(await asyncFetchOlderUsers({ db, minAge: 60 })) }).toEqual({ 'users older than 60': olderThan(60) })
    }))

  it('fetchConcurrently resolves to [all users, users older than 40] and leaves no connection open', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      const [all, older] = await fetchConcurrently({ db })
      expect({ all: byId(all), older: byId(older) }).toEqual({ all: SEEDED_USERS, older: olderThan(40) })
      check(watch.stillOpen().length === 0, `fetchConcurrently left ${watch.stillOpen().length} connection(s) open`)
    }))

  it('fetchConcurrently runs both queries at the same time, each on a connection of its own', () =>
    onEachDatabase(envs, async ({ slow }) => {
      using statements = watchStatements()
      const [all, older] = await fetchConcurrently({ db: slow })
      expect({ all, older }).toEqual({ all: [SLOW_SAM], older: [SLOW_SAM] })
      const reads = statements.intervals().filter((s) => /\busers\b/i.test(s.sql))
      check(reads.length === 2, `expected two queries of users through AsyncConnection (asyncFetchUsers and asyncFetchOlderUsers), saw ${reads.length}`)
      const [first, second] = [...reads].sort((a, b) => a.start - b.start) as [(typeof reads)[number], (typeof reads)[number]]
      check(first.connectionId !== second.connectionId, `both queries ran on connection #${first.connectionId}: statements on one connection run one after the other — give each query a connection of its own`)
      check(
        second.start < first.end,
        `the queries did not overlap: the second one started only once the first had finished (${(second.start - first.end).toFixed(0)} ms later) — start both before awaiting either (Promise.all)`,
      )
    }))

  it('the functions take no arguments, like the course: they read DATABASE_URL', () =>
    onEachDatabase(envs, async ({ db }) => {
      const [all, older] = await withDatabaseUrl(db.rawUrl, () => fetchConcurrently())
      expect({ all: byId(all), older: byId(older) }).toEqual({ all: SEEDED_USERS, older: olderThan(40) })
      expect(byId(await withDatabaseUrl(db.rawUrl, () => asyncFetchUsers()))).toEqual(SEEDED_USERS)
      expect(byId(await withDatabaseUrl(db.rawUrl, () => asyncFetchOlderUsers()))).toEqual(olderThan(40))
    }))

  it('fetchConcurrently rejects when a query fails, and its connections are closed', () =>
    onEachDatabase(envs, async ({ dialect }) => {
      await using empty = await createTestDb(dialect)
      using watch = watchConnections()
      await expect(fetchConcurrently({ db: empty })).rejects.toThrow(/users/)
      const closed = await eventually(() => watch.stillOpen().length === 0)
      check(closed, `after the rejection ${watch.stillOpen().length} connection(s) stayed open: close each connection also when its query fails`)
    }))
})

