import type { UsersRow } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { AsyncConnection, DatabaseConnection, ExecuteQuery, executeQuery, onConnection, seedCourseUsers } from '../../src'
import { byId, expectedUsers } from './helpers'

describe('Task 1: ExecuteQuery runs a parameterized query and closes its connection', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let db: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await seedCourseUsers(db)
    })
    afterAll(() => db[Symbol.asyncDispose]())

    it('returns the users older than 25 for ("SELECT * FROM users WHERE age > ?", [25])', async () => {
      let query: ExecuteQuery<UsersRow> | undefined
      {
        await using q = await ExecuteQuery.open<UsersRow>('SELECT * FROM users WHERE age > ?', [25], { db })
        query = q
        expect(byId(q.rows)).toEqual(expectedUsers().filter((u) => (u.age ?? 0) > 25))
        expect(q.rowCount).toBe(q.rows.length)
        expect([...q]).toEqual(q.rows)
        expect(q.params).toEqual([25])
        expect(q.closed).toBe(false)
      }
      expect(query.closed).toBe(true)
      expect(AsyncConnection.openCount).toBe(0)
      expect(db.poolStats().used).toBe(0)
    })

    it('binds parameters: an injection string matches nothing and changes nothing', async () => {
      for (const attack of ["x' OR '1'='1", "'; DROP TABLE users; --", 'Ada Lovelace" OR "1"="1']) {
        expect(await executeQuery('SELECT * FROM users WHERE name = ?', [attack], { db })).toEqual([])
      }
      // a bound parameter is one value, so a second statement cannot ride along
      expect(await executeQuery('SELECT * FROM users WHERE email = ?', ['ada@example.org; DELETE FROM users'], { db })).toEqual([])
      expect(await db.knex('users').count({ n: '*' })).toEqual([{ n: expectedUsers().length }])
      // the same value is found when it really is in the table
      expect(await executeQuery<UsersRow>('SELECT name FROM users WHERE name = ?', ['Ada Lovelace'], { db })).toEqual([{ name: 'Ada Lovelace' }])
    })

    it('refuses a second statement in the SQL itself', async () => {
      await expect(executeQuery('SELECT 1; DELETE FROM users', [], { db })).rejects.toThrow(/more than one statement|SQL syntax/)
      expect(await db.knex('users').count({ n: '*' })).toEqual([{ n: expectedUsers().length }])
    })

    it('closes the connection when the block throws, rethrowing the same error', async () => {
      const closes: number[] = []
      const off = onConnection((e) => e.type === 'close' && closes.push(e.id))
      const boom = new TypeError('bad row')
      let id = 0
      try {
        const block = async (): Promise<void> => {
          await using q = await ExecuteQuery.open('SELECT * FROM users', [], { db })
          id = q.connection.id
          throw boom
        }
        await expect(block()).rejects.toBe(boom)
      } finally {
        off()
      }
      expect(closes).toEqual([id])
    })

    it('closes the connection it opened when the query itself fails', async () => {
      await expect(ExecuteQuery.open('SELECT * FROM users WHERE age > ?', [], { db })).rejects.toThrow(/parameter|argument|bind|placeholders/i)
      await expect(ExecuteQuery.open('SELECT nope FROM users', [], { db })).rejects.toThrow(/nope/)
      expect(AsyncConnection.openCount).toBe(0)
      expect(db.poolStats().used).toBe(0)
    })

    it('runs writes too, reporting affected rows', async () => {
      await using conn = await DatabaseConnection.open({ db })
      const [result] = await conn.query<{ affectedRows: number }>('UPDATE users SET age = age WHERE age > ?', [40])
      expect(result?.affectedRows).toBe(expectedUsers().filter((u) => (u.age ?? 0) > 40).length)
    })
  })

  it('rejects SQL and parameters of the wrong shape before connecting', async () => {
    await expect(ExecuteQuery.open('', [])).rejects.toThrow(new TypeError('Expected `sql` to be a non-empty string, got "".'))
    await expect(ExecuteQuery.open('SELECT * FROM users WHERE age > ?', 25 as unknown as unknown[])).rejects.toThrow(
      new TypeError('Expected `params` to be an array of values bound to the ? placeholders, got 25.'),
    )
    await using db = await createTestDb('sqlite')
    await using conn = await DatabaseConnection.open({ db })
    await expect(ExecuteQuery.open('SELECT 1', [], { connection: conn, url: db.rawUrl })).rejects.toThrow(/either `connection` or `db`\/`url`/)
    await expect(conn.query('SELECT ?', [() => 1])).rejects.toThrow(/Cannot bind parameters \[function\]/)
    expect(AsyncConnection.openCount).toBe(1)
  })
})
