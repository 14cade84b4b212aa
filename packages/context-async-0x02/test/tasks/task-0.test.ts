// Graded: Task 0 of tasks.md — DatabaseConnection, the `with DatabaseConnection() as conn:` of the course.
import type { Dialect, UsersRow } from '@alx/db-core'
import { testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { DatabaseConnection } from '../../src/database-connection'
import { SEEDED_USERS, byId, check, onEachDatabase, resetUsers, seededDb, usersNow, watchConnections, withDatabaseUrl } from './helpers'

const NEW_USER = { name: 'New Person', email: 'new@example.org', age: 30 }
const INSERT = 'INSERT INTO users (name, email, age) VALUES (?, ?, ?)'
const INSERT_PARAMS = [NEW_USER.name, NEW_USER.email, NEW_USER.age]
const UPDATE = 'UPDATE users SET age = ? WHERE id = ?'

/** The seeded users after the block's insert (a new row) and update (user 1 aged 99). */
function afterWrites(rows: readonly UsersRow[]): { inserted: boolean; user1Age: number | null | undefined } {
  return { inserted: rows.some((row) => row.email === NEW_USER.email), user1Age: rows.find((row) => row.id === 1)?.age }
}
const WRITTEN = { inserted: true, user1Age: 99 }
const UNTOUCHED = { inserted: false, user1Age: SEEDED_USERS[0]?.age }

describe('Task 0: DatabaseConnection, a context manager that commits or rolls back', () => {
  const envs: Array<{ dialect: Dialect; db: TestDatabase }> = []
  beforeAll(async () => {
    for (const dialect of testDialects()) envs.push({ dialect, db: await seededDb(dialect) })
  })
  afterAll(async () => {
    for (const { db } of envs) await db[Symbol.asyncDispose]()
  })
  beforeEach(async () => {
    for (const { db } of envs) await resetUsers(db)
  })

  it('open() gives a connection whose query runs SELECT * FROM users and returns every user', () =>
    onEachDatabase(envs, async ({ db }) => {
      await using conn = await DatabaseConnection.open({ db })
      const rows = await conn.query<UsersRow>('SELECT * FROM users')
      expect(byId(rows)).toEqual(SEEDED_USERS)
    }))

  it('await using: the connection is closed once the block exits', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      let conn: DatabaseConnection | undefined
      {
        await using opened = await DatabaseConnection.open({ db })
        conn = opened
        await opened.query('SELECT * FROM users')
        check(watch.stillOpen().length === 1, `open() should have opened one connection through AsyncConnection.open, saw ${watch.opened.length}`)
        check(!opened.closed, '`closed` should be false inside the block')
      }
      check(watch.stillOpen().length === 0, `the connection is still open after the \`await using\` block: dispose must close it (opened ${watch.opened.length}, closed ${watch.closed.length})`)
      check(conn.closed, '`closed` should be true once the block exited')
      await expect(conn.query('SELECT * FROM users')).rejects.toThrow()
    }))

  it('await using: the connection is closed when the block throws, and the same error comes out', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      const boom = new Error('boom in the block')
      const block = async (): Promise<void> => {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query('SELECT * FROM users')
        throw boom
      }
      await expect(block()).rejects.toBe(boom)
      check(watch.opened.length === 1 && watch.stillOpen().length === 0, `the connection must be closed when the block throws (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('await using: an insert and an update are both rolled back when the block throws', () =>
    onEachDatabase(envs, async ({ db }) => {
      const boom = new Error('boom after two writes')
      const block = async (): Promise<void> => {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query(INSERT, INSERT_PARAMS)
        await conn.query(UPDATE, [99, 1])
        throw boom
      }
      await expect(block()).rejects.toBe(boom)
      expect({ 'users after the `await using` block threw (dispose must roll back what was not committed)': afterWrites(await usersNow(db)) }).toEqual({
        'users after the `await using` block threw (dispose must roll back what was not committed)': UNTOUCHED,
      })
    }))

  it('await using: writes without commit() are rolled back when the block exits normally', () =>
    onEachDatabase(envs, async ({ db }) => {
      {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query(INSERT, INSERT_PARAMS)
        await conn.query(UPDATE, [99, 1])
      }
      expect({ 'users after a block that wrote and never called commit() (dispose must roll back, not commit)': afterWrites(await usersNow(db)) }).toEqual({
        'users after a block that wrote and never called commit() (dispose must roll back, not commit)': UNTOUCHED,
      })
    }))

  it('await using: commit() at the end of the block keeps its writes, which other connections see only then', () =>
    onEachDatabase(envs, async ({ db }) => {
      {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query(INSERT, INSERT_PARAMS)
        await conn.query(UPDATE, [99, 1])
        // not committed yet: another connection does not see the writes
        expect({ 'users seen by another connection before commit() (open() must BEGIN a transaction)': afterWrites(await usersNow(db)) }).toEqual({
          'users seen by another connection before commit() (open() must BEGIN a transaction)': UNTOUCHED,
        })
        await conn.commit()
        expect({ 'users seen by another connection right after commit()': afterWrites(await usersNow(db)) }).toEqual({
          'users seen by another connection right after commit()': WRITTEN,
        })
      }
      expect({ 'users after a block that ended with commit()': afterWrites(await usersNow(db)) }).toEqual({ 'users after a block that ended with commit()': WRITTEN })
    }))

  it('await using: commit(), then more writes, then a normal exit keeps only the committed writes', () =>
    onEachDatabase(envs, async ({ db }) => {
      {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query(INSERT, INSERT_PARAMS)
        await conn.commit()
        await conn.query(UPDATE, [99, 1])
      }
      expect({ 'users after an insert, commit(), an update, and a normal exit (the update was never committed)': afterWrites(await usersNow(db)) }).toEqual({
        'users after an insert, commit(), an update, and a normal exit (the update was never committed)': { inserted: true, user1Age: SEEDED_USERS[0]?.age },
      })
    }))

  it('await using: a failed statement in the block rolls back every write of the block', () =>
    onEachDatabase(envs, async ({ db }) => {
      const block = async (): Promise<void> => {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query(INSERT, INSERT_PARAMS)
        await conn.query(UPDATE, [99, 1])
        await conn.query('SELECT * FROM no_such_table')
      }
      await expect(block()).rejects.toThrow(/no_such_table/)
      expect({ 'users after a statement failed in the block': afterWrites(await usersNow(db)) }).toEqual({ 'users after a statement failed in the block': UNTOUCHED })
    }))

  it('await using: a failed statement rolls back even when the block caught its error', () =>
    onEachDatabase(envs, async ({ db }) => {
      {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query(INSERT, INSERT_PARAMS)
        await conn.query(UPDATE, [99, 1])
        await conn.query('SELECT * FROM no_such_table').catch(() => undefined)
      }
      expect({ 'users after a caught failed statement': afterWrites(await usersNow(db)) }).toEqual({ 'users after a caught failed statement': UNTOUCHED })
    }))

  it('run() commits the writes when the callback resolves, returns its result, and closes', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      const result = await DatabaseConnection.run({ db }, async (conn) => {
        await conn.query(INSERT, INSERT_PARAMS)
        await conn.query(UPDATE, [99, 1])
        return 'done'
      })
      expect(result).toBe('done')
      expect({ 'users after run() resolved': afterWrites(await usersNow(db)) }).toEqual({ 'users after run() resolved': WRITTEN })
      check(watch.opened.length === 1 && watch.stillOpen().length === 0, `run() must close its connection (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('run() rolls back an insert and an update when the callback throws, closes, and rethrows the same error', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      const boom = new Error('boom after two writes')
      await expect(
        DatabaseConnection.run({ db }, async (conn) => {
          await conn.query(INSERT, INSERT_PARAMS)
          await conn.query(UPDATE, [99, 1])
          throw boom
        }),
      ).rejects.toBe(boom)
      expect({ 'users after run() threw': afterWrites(await usersNow(db)) }).toEqual({ 'users after run() threw': UNTOUCHED })
      check(watch.opened.length === 1 && watch.stillOpen().length === 0, `run() must close its connection when the callback throws (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('commit() saves the writes so far; a later failure rolls back only what came after it', () =>
    onEachDatabase(envs, async ({ db }) => {
      const block = async (): Promise<void> => {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query(INSERT, INSERT_PARAMS)
        await conn.commit()
        await conn.query(UPDATE, [99, 1])
        await conn.query('SELECT * FROM no_such_table')
      }
      await expect(block()).rejects.toThrow(/no_such_table/)
      expect({ 'users after commit(), an update and a failed statement': afterWrites(await usersNow(db)) }).toEqual({
        'users after commit(), an update and a failed statement': { inserted: true, user1Age: SEEDED_USERS[0]?.age },
      })
    }))

  it('rollback() undoes the writes so far, and the connection carries on in a new transaction', () =>
    onEachDatabase(envs, async ({ db }) => {
      {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query(INSERT, INSERT_PARAMS)
        await conn.rollback()
        await conn.query(UPDATE, [99, 1])
        await conn.commit()
      }
      expect({ 'users after an insert, rollback(), an update, commit()': afterWrites(await usersNow(db)) }).toEqual({
        'users after an insert, rollback(), an update, commit()': { inserted: false, user1Age: 99 },
      })
    }))

  it('close() can be called twice: it closes once, and dispose afterwards does nothing more', () =>
    onEachDatabase(envs, async ({ db }) => {
      using watch = watchConnections()
      const conn = await DatabaseConnection.open({ db })
      await Promise.all([conn.close(), conn.close()])
      await conn[Symbol.asyncDispose]()
      check(watch.opened.length === 1 && watch.closed.length === 1, `closing twice must close the connection exactly once (opened ${watch.opened.length}, closed ${watch.closed.length})`)
    }))

  it('open() with no target connects to DATABASE_URL', () =>
    onEachDatabase(envs, async ({ db }) => {
      const rows = await withDatabaseUrl(db.rawUrl, async () => {
        await using conn = await DatabaseConnection.open()
        return conn.query<UsersRow>('SELECT * FROM users')
      })
      expect(byId(rows)).toEqual(SEEDED_USERS)
    }))
})
