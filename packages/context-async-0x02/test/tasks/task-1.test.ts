// Graded: Task 1 of tasks.md — ExecuteQuery, the `with ExecuteQuery(query, params) as results:` of the course.
import type { Dialect, UsersRow } from '@alx/db-core'
import { testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { AsyncConnection } from '../../src/async-connection'
import { ExecuteQuery, executeQuery } from '../../src/execute-query'
import { SEEDED_USERS, byId, check, olderThan, onEachDatabase, seededDb, usersNow, watchConnections, withDatabaseUrl } from './helpers'

describe('Task 1: ExecuteQuery, a reusable context manager for one parameterized query', () => {
  const envs: Array<{ dialect: Dialect; db: TestDatabase }> = []
  beforeAll(async () => {
    for (const dialect of testDialects()) envs.push({ dialect, db: await seededDb(dialect) })
  })
  afterAll(async () => {
    for (const { db } of envs) await db[Symbol.asyncDispose]()
  })

  it('SELECT * FROM users WHERE age > ? with [25] gives the users older than 25, as rows and by iterating', () =>
    onEachDatabase(envs, async ({ db }) => {
      await using results = await ExecuteQuery.open<UsersRow>('SELECT * FROM users WHERE age > ?', [25], { db })
      expect({ rows: byId(results.rows) }).toEqual({ rows: olderThan(25) })
      expect({ 'rows by iterating': byId([...results]) }).toEqual({ 'rows by iterating': olderThan(25) })
      expect({ rowCount: results.rowCount }).toEqual({ rowCount: olderThan(25).length })
    }))

  it('is reusable: other SQL and other parameters give their own rows', () =>
    onEachDatabase(envs, async ({ db }) => {
      {
        await using results = await ExecuteQuery.open<UsersRow>('SELECT * FROM users WHERE age > ?', [50], { db })
        expect(byId(results.rows)).toEqual(olderThan(50))
      }
      {
        await using results = await ExecuteQuery.open<UsersRow>('SELECT * FROM users WHERE name = ? AND age = ?', ['Ada Lovelace', 36], { db })
        expect(results.rows).toEqual(SEEDED_USERS.filter((user) => user.name === 'Ada Lovelace'))
      }
      {
        await using results = await ExecuteQuery.open<UsersRow>('SELECT * FROM users', [], { db })
        expect(byId(results.rows)).toEqual(SEEDED_USERS)
      }
    }))

  it('binds the parameters: a value that looks like SQL matches nothing and changes nothing', () =>
    onEachDatabase(envs, async ({ db }) => {
      for (const attack of ["x' OR '1'='1", "'; DELETE FROM users; --"]) {
        await using results = await ExecuteQuery.open('SELECT * FROM users WHERE name = ?', [attack], { db })
        expect({ [`rows for name = ${JSON.stringify(attack)}`]: results.rows }).toEqual({ [`rows for name = ${JSON.stringify(attack)}`]: [] })
      }
      expect(await usersNow(db)).toEqual(SEEDED_USERS)
    }))

  it('closes the connection it opened when the block exits', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      {
        await using results = await ExecuteQuery.open('SELECT * FROM users WHERE age > ?', [25], { db })
        check(watch.stillOpen().length === 1, `ExecuteQuery.open should hold one connection opened through AsyncConnection.open during the block, saw ${watch.stillOpen().length} open`)
        expect(results.rows.length).toBeGreaterThan(0)
      }
      check(watch.stillOpen().length === 0, `the connection is still open after the \`await using\` block: dispose must close it (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('closes the connection when the block throws, and the same error comes out', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      const boom = new TypeError('bad row')
      const block = async (): Promise<void> => {
        await using results = await ExecuteQuery.open('SELECT * FROM users WHERE age > ?', [25], { db })
        if (results.rows.length > 0) throw boom
      }
      await expect(block()).rejects.toBe(boom)
      check(watch.opened.length === 1 && watch.stillOpen().length === 0, `the connection must be closed when the block throws (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('rejects with the driver’s error when the query fails, and closes the connection it opened', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      await expect(ExecuteQuery.open('SELECT * FROM no_such_table WHERE age > ?', [25], { db })).rejects.toThrow(/no_such_table/)
      check(watch.stillOpen().length === 0, `a failed query must not leave its connection open (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('leaves a borrowed connection open (its owner closes it)', () =>
    onEachDatabase(envs, async ({ db }) => {
      await using conn = await AsyncConnection.open({ db })
      {
        await using results = await ExecuteQuery.open<UsersRow>('SELECT * FROM users WHERE age > ?', [25], { connection: conn })
        expect(byId(results.rows)).toEqual(olderThan(25))
      }
      check(!conn.closed, 'a connection passed as `connection` must be left open when the block exits')
      expect(await conn.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
    }))

  it('executeQuery(sql, params, options) returns the rows and closes its connection', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      expect(byId(await executeQuery<UsersRow>('SELECT * FROM users WHERE age > ?', [25], { db }))).toEqual(olderThan(25))
      check(watch.opened.length === 1 && watch.stillOpen().length === 0, `executeQuery must close its connection (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('with no db or url it connects to DATABASE_URL', () =>
    onEachDatabase(envs, async ({ db }) => {
      const rows = await withDatabaseUrl(db.rawUrl, async () => {
        await using results = await ExecuteQuery.open<UsersRow>('SELECT * FROM users WHERE age > ?', [25])
        return [...results.rows]
      })
      expect(byId(rows)).toEqual(olderThan(25))
    }))

  it('refuses params that are not an array with a TypeError, before connecting', async () => {
    using watch = watchConnections()
    await expect(ExecuteQuery.open('SELECT * FROM users WHERE age > ?', 25 as unknown as unknown[], { url: 'sqlite::memory:' })).rejects.toBeInstanceOf(TypeError)
    check(watch.opened.length === 0, `no connection should be opened for bad params (opened ${watch.opened.length})`)
  })
})
