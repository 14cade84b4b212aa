import { onQuery } from '@alx/db-core'
import type { Connection, Database, QueryEvent, UsersRow } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import { cacheQuery, CacheQuery, currentConnection, QueryCache, queryCache, transactional, withDbConnection, WithDbConnection } from '../../src'
import type { Knex } from 'knex'
import { usersTable } from './helpers'

/** Counts the statements a function sends through the driver connection. */
function counting() {
  const sent: string[] = []
  const fn = async (conn: Connection, query: string, params: unknown[] = []): Promise<UsersRow[]> => {
    sent.push(query)
    return conn.query<UsersRow>(query, params)
  }
  return { fn, sent }
}

describe('Task 4: cacheQuery', () => {
  beforeEach(() => {
    queryCache.clear()
    queryCache.resetStats()
  })

  describe.each(testDialects())('on %s', (dialect) => {
    it('answers the second identical call without reaching the database (counted by onQuery)', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const events: QueryEvent[] = []
      const off = onQuery(db, (e) => events.push(e))
      try {
        const fetchUsers = cacheQuery(async (handle: Database, query: string): Promise<unknown> => handle.knex.raw(query))
        const first: unknown = await fetchUsers(db, 'SELECT * FROM users')
        const second: unknown = await fetchUsers(db, 'SELECT * FROM users')
        expect(second).toBe(first)
        expect(events.map((e) => e.sql)).toEqual(['SELECT * FROM users'])
        expect(queryCache.stats()).toMatchObject({ hits: 1, misses: 1 })
      } finally {
        off()
      }
    })

    it('reproduces the course order withDbConnection(cacheQuery(fn)): a hit still checks out a connection but runs no query', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const { fn, sent } = counting()
      const fetchUsersWithCache = withDbConnection(cacheQuery(fn), { db })
      const users = await fetchUsersWithCache('SELECT * FROM users')
      const again = await fetchUsersWithCache('SELECT * FROM users')
      expect(users).toHaveLength(3)
      expect(again).toBe(users)
      expect(sent).toHaveLength(1)
    })

    it('misses for other parameters and hits for the same ones', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const { fn, sent } = counting()
      const byId = withDbConnection(cacheQuery(fn), { db })
      const sql = 'SELECT * FROM users WHERE id = ?'
      const [one, two, oneAgain] = [await byId(sql, [1]), await byId(sql, [2]), await byId(sql, [1])]
      expect(one[0]?.id).toBe(1)
      expect(two[0]?.id).toBe(2)
      expect(oneAgain).toBe(one)
      expect(sent).toHaveLength(2)
    })

    it('shares one query among concurrent identical calls when the cache sits outside the connection', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const { fn, sent } = counting()
      const fetchUsers = cacheQuery(withDbConnection(fn, { db }), { scope: db })
      const results = await Promise.all(Array.from({ length: 10 }, () => fetchUsers('SELECT * FROM users')))
      expect(sent).toHaveLength(1)
      expect(new Set(results).size).toBe(1)
      expect(queryCache.stats()).toMatchObject({ misses: 1, shared: 9 })
      // and a hit checks out no connection at all
      await fetchUsers('SELECT * FROM users')
      expect(db.poolStats().used).toBe(0)
    })

    it('is invalidated by a write through transactional, per table, and per database', async () => {
      await using db = await createTestDb(dialect)
      await using otherDb = await createTestDb(dialect)
      await usersTable(db)
      await usersTable(otherDb)
      await db.knex.schema.createTable('posts', (t) => t.increments('id'))
      const { fn, sent } = counting()
      const read = cacheQuery(fn)
      const readUsers = withDbConnection((conn: Connection) => read(conn, 'SELECT email FROM users WHERE id = ?', [1]), { db })
      const readPosts = withDbConnection((conn: Connection) => read(conn, 'SELECT COUNT(*) AS n FROM posts'), { db })
      const readOtherUsers = withDbConnection((conn: Connection) => read(conn, 'SELECT email FROM users WHERE id = ?', [1]), { db: otherDb })
      const updateUserEmail = (target: Database) =>
        withDbConnection(
          transactional(async (conn, userId: number, newEmail: string) => {
            await conn.query('UPDATE users SET email = ? WHERE id = ?', [newEmail, userId])
          }),
          { db: target },
        )
      await readUsers()
      await readPosts()
      await readOtherUsers()
      expect(sent).toHaveLength(3)
      await updateUserEmail(db)(1, 'Crawford_Cartwright@hotmail.com')
      // users on db re-read (with the new value); posts on db and users on the other database still cached
      await expect(readUsers()).resolves.toEqual([{ email: 'Crawford_Cartwright@hotmail.com' }])
      await readPosts()
      await readOtherUsers()
      expect(sent).toHaveLength(4)
      // a write through a cacheQuery function runs uncached and invalidates what it wrote
      await withDbConnection((conn: Connection) => read(conn, 'DELETE FROM posts'), { db })()
      await readPosts()
      expect(sent.slice(4)).toEqual(['DELETE FROM posts', 'SELECT COUNT(*) AS n FROM posts'])
    })

    it('is invalidated by a write through transactional on a knex handle too, nested savepoints included', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const { fn, sent } = counting()
      const readUsers = withDbConnection(cacheQuery(fn), { db })
      const rename = transactional(async (trx: Knex.Transaction, id: number, name: string) => {
        await transactional(async (inner: Knex.Transaction) => {
          await inner('users').where({ id }).update({ name })
        })(trx)
      })
      await readUsers('SELECT name FROM users WHERE id = ?', [2])
      await readUsers('SELECT name FROM users WHERE id = ?', [2])
      expect(sent).toHaveLength(1)
      await rename(db, 2, 'Renamed')
      await expect(readUsers('SELECT name FROM users WHERE id = ?', [2])).resolves.toEqual([{ name: 'Renamed' }])
      expect(sent).toHaveLength(2)
    })

    it('bypasses the cache inside a transaction, whose reads may be uncommitted', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const { fn, sent } = counting()
      const read = cacheQuery(fn)
      const attempt = withDbConnection(
        transactional(async (conn) => {
          await conn.query('UPDATE users SET name = ? WHERE id = ?', ['Uncommitted', 1])
          const inside = await read(conn, 'SELECT name FROM users WHERE id = ?', [1])
          expect(inside).toEqual([{ name: 'Uncommitted' }])
          throw new Error('roll it back')
        }),
        { db },
      )
      await expect(attempt()).rejects.toThrow('roll it back')
      const after = await withDbConnection((conn: Connection) => read(conn, 'SELECT name FROM users WHERE id = ?', [1]), { db })()
      expect(after).toEqual([{ name: 'User 1' }])
      expect(sent).toHaveLength(2)
      expect(queryCache.stats().hits).toBe(0)
    })

    it('expires after the TTL against a real database', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const { fn, sent } = counting()
      const read = withDbConnection(cacheQuery(fn, { cache: new QueryCache({ ttl: 50 }) }), { db })
      await read('SELECT * FROM users')
      await read('SELECT * FROM users')
      await new Promise((r) => setTimeout(r, 100))
      await read('SELECT * FROM users')
      expect(sent).toHaveLength(2)
    })

    it('has a class-method form scoped by the bound connection', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      class Users {
        runs = 0
        @WithDbConnection({ db })
        @CacheQuery()
        async run(query: string): Promise<UsersRow[]> {
          this.runs += 1
          return currentConnection().query<UsersRow>(query)
        }
      }
      const users = new Users()
      await users.run('SELECT * FROM users')
      await users.run('SELECT * FROM users')
      expect(users.runs).toBe(1)
      expect(db.poolStats().used).toBe(0)
    })
  })
})
