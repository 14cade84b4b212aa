import { openConnection, openDatabase } from '@alx/db-core'
import type { Connection } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { Knex } from 'knex'
import { currentConnection, Transactional, transactional, withDbConnection, WithDbConnection } from '../../src'
import { countUsers, usersTable } from './helpers'

const insert = (conn: Connection, name: string): Promise<unknown> => conn.query('INSERT INTO users (name, email) VALUES (?, ?)', [name, `${name.toLowerCase()}@example.com`])

describe('Task 2: transactional', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    it('rolls back a function that inserts two rows and then throws, leaving zero rows, and rethrows the same error', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db, 0)
      const failure = new Error('third step failed')
      const addTwo = withDbConnection(
        transactional(async (conn) => {
          await insert(conn, 'Ada')
          await insert(conn, 'Grace')
          throw failure
        }),
        { db },
      )
      await expect(addTwo()).rejects.toBe(failure)
      expect(await countUsers(db)).toBe(0)
      expect(db.poolStats().used).toBe(0)
    })

    it('commits once, when the function resolves, and returns its result', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db, 0)
      await using second = await openDatabase(db.rawUrl)
      const seenInside: number[] = []
      const addTwo = withDbConnection(
        transactional(async (conn, a: string, b: string) => {
          await insert(conn, a)
          await insert(conn, b)
          seenInside.push(await countUsers(second))
          return `${a}+${b}`
        }),
        { db },
      )
      await expect(addTwo('Ada', 'Grace')).resolves.toBe('Ada+Grace')
      expect(seenInside).toEqual([0])
      expect(await countUsers(second)).toBe(2)
    })

    it('joins the outer transaction when nested: the inner success does not commit early, the inner failure rolls back only itself', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db, 0)
      await using second = await openDatabase(db.rawUrl)
      const addOne = transactional(async (conn, name: string) => {
        await insert(conn, name)
      })
      const addThenFail = transactional(async (conn, name: string) => {
        await insert(conn, name)
        throw new Error(`${name} rejected`)
      })
      let visibleAfterInner = -1
      const outer = withDbConnection(
        transactional(async (conn) => {
          await addOne(conn, 'Ada')
          visibleAfterInner = await countUsers(second)
          await expect(addThenFail(conn, 'Mallory')).rejects.toThrow('Mallory rejected')
          await addOne(conn, 'Grace')
          return (await conn.query<{ name: string }>('SELECT name FROM users ORDER BY id')).map((r) => r.name)
        }),
        { db },
      )
      await expect(outer()).resolves.toEqual(['Ada', 'Grace'])
      expect(visibleAfterInner).toBe(0)
      expect(await countUsers(second)).toBe(2)
    })

    it('takes a Database or knex handle too, handing fn the knex transaction', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db, 0)
      const addTwo = transactional(async (trx: Knex.Transaction, fail: boolean) => {
        await trx('users').insert({ name: 'Ada', email: 'ada@example.com' })
        await trx('users').insert({ name: 'Grace', email: 'grace@example.com' })
        if (fail) throw new Error('changed my mind')
        return trx.isTransaction
      })
      await expect(addTwo(db, true)).rejects.toThrow('changed my mind')
      expect(await countUsers(db)).toBe(0)
      await expect(addTwo(db.knex, false)).resolves.toBe(true)
      expect(await countUsers(db)).toBe(2)
      // nested through a knex transaction: a savepoint
      const outer = transactional(async (trx: Knex.Transaction) => {
        await expect(addTwo(trx, true)).rejects.toThrow('changed my mind')
        await trx('users').insert({ name: 'Linus', email: 'linus@example.com' })
      })
      await outer(db)
      expect(await countUsers(db)).toBe(3)
    })

    it('keeps `this` and hands fn a connection whose release() leaves the transaction open', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db, 0)
      const repo = {
        table: 'users',
        add: withDbConnection(
          transactional(async function (this: { table: string }, conn: Connection, name: string) {
            await conn.query(`INSERT INTO ${this.table} (name, email) VALUES (?, ?)`, [name, 'x@example.com'])
            await conn.release()
            await conn.query(`INSERT INTO ${this.table} (name, email) VALUES (?, ?)`, [name, 'y@example.com'])
            throw new Error('undo both')
          }),
          { db },
        ),
      }
      await expect(repo.add('Ada')).rejects.toThrow('undo both')
      expect(await countUsers(db)).toBe(0)
      expect(db.poolStats().used).toBe(0)
    })

    it('has a class-method form: @WithDbConnection() above @Transactional(), nested methods joining', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db, 0)
      class Users {
        @WithDbConnection({ db })
        @Transactional()
        async add(name: string): Promise<void> {
          await insert(currentConnection(), name)
        }

        @WithDbConnection({ db })
        @Transactional()
        async addMany(names: string[], failAfter = Infinity): Promise<void> {
          for (const [i, name] of names.entries()) {
            if (i === failAfter) throw new Error(`stopped before ${name}`)
            await this.add(name)
          }
        }
      }
      const users = new Users()
      await expect(users.addMany(['Ada', 'Grace', 'Linus'], 2)).rejects.toThrow('stopped before Linus')
      expect(await countUsers(db)).toBe(0)
      await users.addMany(['Ada', 'Grace'])
      expect(await countUsers(db)).toBe(2)
      expect(db.poolStats().used).toBe(0)
    })
  })

  it('@Transactional() without a connection fails with NoConnectionError', async () => {
    class Orphan {
      @Transactional()
      async run(): Promise<number> {
        return Promise.resolve(1)
      }
    }
    await expect(new Orphan().run()).rejects.toMatchObject({ code: 'NO_CONNECTION', message: expect.stringContaining('@Transactional() on run') as unknown })
  })

  it('rejects a first argument that is no database handle, naming it', async () => {
    const run = transactional(async (conn: Connection) => conn.query('SELECT 1'))
    await expect(run('users.db' as unknown as Connection)).rejects.toThrow(new TypeError('Expected the first argument to be a Connection, a Database or a knex handle, got "users.db".'))
  })

  it('on SQLite, learns that a function only reads: after one committed call it begins DEFERRED and runs beside a writer', async () => {
    await using db = await createTestDb('sqlite', { busyTimeoutMs: 10 })
    await usersTable(db, 2)
    await using other = await openDatabase(db.rawUrl, { busyTimeoutMs: 10 })
    const writer = await openConnection(other)
    try {
      const count = withDbConnection(transactional(async (conn) => (await conn.query<{ n: number }>('SELECT COUNT(*) AS n FROM users'))[0]?.n), { db })
      const countImmediate = withDbConnection(transactional(async (conn) => (await conn.query<{ n: number }>('SELECT COUNT(*) AS n FROM users'))[0]?.n, { sqliteBegin: 'immediate' }), { db })
      await writer.query('BEGIN IMMEDIATE')
      // nothing learnt yet: the first call takes the write lock at BEGIN, like 'immediate'
      await expect(count()).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
      await writer.query('ROLLBACK')
      expect(await count()).toBe(2)
      await writer.query('BEGIN IMMEDIATE')
      await writer.query("INSERT INTO users (name, email) VALUES ('Uncommitted', 'u@example.com')")
      // learnt: a deferred read transaction, beside the writer, on the last committed snapshot
      expect(await count()).toBe(2)
      await expect(countImmediate()).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
      await writer.query('COMMIT')
      expect(await count()).toBe(3)
    } finally {
      await writer.release()
    }
  })

  it('on SQLite, a learnt reader that writes once begins IMMEDIATE from then on, even when it does not write again', async () => {
    await using db = await createTestDb('sqlite', { busyTimeoutMs: 10 })
    await usersTable(db, 0)
    await using other = await openDatabase(db.rawUrl, { busyTimeoutMs: 10 })
    const writer = await openConnection(other)
    try {
      const entered: boolean[] = []
      const maybeInsert = withDbConnection(
        transactional(async (conn, write: boolean) => {
          entered.push(write)
          await conn.query('SELECT COUNT(*) AS n FROM users')
          if (write) await insert(conn, 'Ada')
        }),
        { db },
      )
      await maybeInsert(false)
      await writer.query('BEGIN IMMEDIATE')
      await maybeInsert(false) // deferred: runs beside the writer
      await writer.query('ROLLBACK')
      await maybeInsert(true)
      expect(await countUsers(db)).toBe(1)
      await writer.query('BEGIN IMMEDIATE')
      // a writer again: BUSY at BEGIN, before the function runs
      await expect(maybeInsert(false)).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
      await writer.query('ROLLBACK')
      expect(entered).toEqual([false, false, true])
    } finally {
      await writer.release()
    }
  })

  it("rejects an unknown sqliteBegin, naming it", () => {
    expect(() => transactional(async (conn: Connection) => conn.query('SELECT 1'), { sqliteBegin: 'lazy' as 'auto' })).toThrow(
      new TypeError("Expected `sqliteBegin` to be 'auto', 'deferred', 'immediate' or 'exclusive', got \"lazy\"."),
    )
  })

  it('begins a function that writes with BEGIN IMMEDIATE on SQLite, so a second writer waits at BEGIN', async () => {
    await using db = await createTestDb('sqlite', { busyTimeoutMs: 10 })
    await usersTable(db, 0)
    await using other = await openDatabase(db.rawUrl, { busyTimeoutMs: 10 })
    const reader = await openConnection(other)
    try {
      const seen: string[] = []
      const tx = withDbConnection(
        transactional(async (conn) => {
          seen.push('inside')
          await insert(conn, 'Ada')
        }),
        { db },
      )
      await reader.query('BEGIN IMMEDIATE')
      await expect(tx()).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
      expect(seen).toEqual([])
      await reader.query('ROLLBACK')
      await tx()
      expect(seen).toEqual(['inside'])
    } finally {
      await reader.release()
    }
  })
})
