import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Connection, UsersRow } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import { closeDefaultDatabase, currentConnection, getDefaultDatabase, withDbConnection, WithDbConnection } from '../../src'
import { usersTable } from './helpers'

const getUserById = async (conn: Connection, userId: number): Promise<UsersRow | undefined> => (await conn.query<UsersRow>('SELECT * FROM users WHERE id = ?', [userId]))[0]

describe('Task 1: withDbConnection', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    it('passes a connection as the first argument and the caller’s arguments after it', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const get = withDbConnection(getUserById, { db })
      await expect(get(1)).resolves.toMatchObject({ id: 1, name: 'User 1', email: 'user1@example.com' })
      await expect(get(99)).resolves.toBeUndefined()
      expect(db.poolStats().used).toBe(0)
    })

    it('leaves no connection open after 1,000 calls with throws mixed in', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const work = withDbConnection(async (conn, i: number) => {
        if (i % 5 === 1) throw new Error(`thrown before any query ${i}`)
        if (i % 5 === 2) return conn.query('SELECT * FROM no_such_table')
        const rows = await conn.query<UsersRow>('SELECT * FROM users WHERE id = ?', [(i % 3) + 1])
        if (i % 5 === 3) throw new Error(`thrown after a query ${i}`)
        return rows
      }, { db })
      let ok = 0
      let failed = 0
      // 25 at a time: more than the pool holds, so calls also wait for connections
      for (let start = 0; start < 1000; start += 25) {
        const results = await Promise.allSettled(Array.from({ length: 25 }, (_, k) => work(start + k)))
        for (const r of results) {
          if (r.status === 'fulfilled') ok += 1
          else failed += 1
        }
      }
      expect({ ok, failed }).toEqual({ ok: 400, failed: 600 })
      expect(db.poolStats()).toMatchObject({ used: 0, pending: 0 })
    })

    it('does not take a connection when the signal is already aborted', async () => {
      await using db = await createTestDb(dialect)
      const fn = jest.fn(async (conn: Connection) => conn.query('SELECT 1'))
      await expect(withDbConnection(fn, { db, signal: AbortSignal.abort() })()).rejects.toMatchObject({ name: 'AbortError' })
      expect(fn).not.toHaveBeenCalled()
      expect(db.poolStats().used).toBe(0)
    })

    it('gives back a connection obtained after an abort while waiting for the pool, without running fn', async () => {
      await using db = await createTestDb(dialect, { pool: { max: 1 } })
      let release: () => void = () => undefined
      const held = new Promise<void>((r) => (release = r))
      const holder = withDbConnection(async () => held, { db })
      const controller = new AbortController()
      const fn = jest.fn(async (conn: Connection) => conn.query('SELECT 1'))
      const waiter = withDbConnection(fn, { db, signal: controller.signal })
      const first = holder()
      const second = waiter()
      await new Promise((r) => setTimeout(r, 20))
      controller.abort()
      release()
      await first
      await expect(second).rejects.toMatchObject({ name: 'AbortError' })
      expect(fn).not.toHaveBeenCalled()
      expect(db.poolStats().used).toBe(0)
    })

    it('has a class-method form: the method keeps its signature, nested methods share one connection', async () => {
      await using db = await createTestDb(dialect, { pool: { max: 1 } })
      await usersTable(db)
      class Users {
        @WithDbConnection({ db })
        async byId(id: number): Promise<UsersRow | undefined> {
          return getUserById(currentConnection(), id)
        }

        @WithDbConnection({ db })
        async pair(a: number, b: number): Promise<Array<string | undefined>> {
          // with a pool of one, a second checkout here would wait forever
          return [(await this.byId(a))?.name, (await this.byId(b))?.name]
        }
      }
      await expect(new Users().pair(1, 2)).resolves.toEqual(['User 1', 'User 2'])
      expect(db.poolStats().used).toBe(0)
    })
  })

  // MariaDB only: an SQLite query runs synchronously, so there is nothing to interrupt
  for (const dialect of testDialects().filter((d) => d === 'mysql')) {
    it('on MariaDB: an abort ends a running query at once and discards its connection', async () => {
      await using db = await createTestDb(dialect)
      const controller = new AbortController()
      const sleepy = withDbConnection(async (conn) => conn.query('SELECT SLEEP(5) AS slept'), { db, signal: controller.signal })
      const started = performance.now()
      const call = sleepy()
      setTimeout(() => controller.abort(), 100)
      await expect(call).rejects.toMatchObject({ name: 'AbortError' })
      expect(performance.now() - started).toBeLessThan(2000)
      expect(db.poolStats().used).toBe(0)
      // the pool still works
      await expect(withDbConnection(async (conn) => conn.query<{ one: number }>('SELECT 1 AS one'), { db })()).resolves.toEqual([{ one: 1 }])
    })
  }

  it('uses the default database (DATABASE_URL, else the embedded SQLite file) when given none', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'decorators-default-'))
    const saved = process.env.DATABASE_URL
    process.env.DATABASE_URL = `sqlite:${path.join(dir, 'users.db')}`
    try {
      const db = await getDefaultDatabase()
      await usersTable(db, 1)
      const get = withDbConnection(getUserById)
      await expect(get(1)).resolves.toMatchObject({ id: 1 })
      expect(await getDefaultDatabase()).toBe(db)
      expect(db.poolStats().used).toBe(0)
    } finally {
      await closeDefaultDatabase()
      if (saved === undefined) delete process.env.DATABASE_URL
      else process.env.DATABASE_URL = saved
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('rejects bad options with a TypeError naming the value', () => {
    expect(() => withDbConnection(getUserById, { db: 'sqlite:users.db' as never })).toThrow(
      new TypeError('Expected `db` to be a Database or a function returning one, got "sqlite:users.db".'),
    )
    expect(() => withDbConnection(getUserById, { signal: {} as AbortSignal })).toThrow(new TypeError('Expected `signal` to be an AbortSignal, got an Object.'))
  })
})
