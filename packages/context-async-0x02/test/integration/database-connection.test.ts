import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { DatabaseClosedError, openDatabase } from '@alx/db-core'
import type { UsersRow } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { AsyncConnection, DatabaseConnection, ExecuteQuery, onConnection, onStatement, seedCourseUsers } from '../../src'
import type { ConnectionEvent } from '../../src'
import { byId, expectedUsers, withDatabaseUrl } from './helpers'

const run = promisify(execFile)

function recordConnections(): { events: ConnectionEvent[]; [Symbol.dispose](): void } {
  const events: ConnectionEvent[] = []
  const off = onConnection((e) => events.push(e))
  return { events, [Symbol.dispose]: off }
}

/** The SQL of the statements started while it is on, in order. */
function recordStatements(): { sql: string[]; [Symbol.dispose](): void } {
  const sql: string[] = []
  const off = onStatement((e) => {
    if (e.type === 'start') sql.push(e.sql)
  })
  return { sql, [Symbol.dispose]: off }
}

const PROBE_INSERT = 'INSERT INTO tx_probe (v) VALUES (?)'

describe('Task 0: DatabaseConnection as an `await using` context manager', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let db: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await seedCourseUsers(db)
    })
    afterAll(() => db[Symbol.asyncDispose]())

    it('opens a connection, runs SELECT * FROM users, and closes it when the block exits', async () => {
      using log = recordConnections()
      let rows: UsersRow[]
      {
        await using conn = await DatabaseConnection.open({ db })
        expect(conn.dialect).toBe(dialect)
        // an SQLite file gets a thread of its own; MySQL connections come from the pool
        expect(conn.mode).toBe(dialect === 'sqlite' ? 'worker' : 'pool')
        rows = await conn.query<UsersRow>('SELECT * FROM users')
        expect(conn.closed).toBe(false)
      }
      expect(byId(rows)).toEqual(expectedUsers())
      expect(log.events.map((e) => e.type)).toEqual(['open', 'close'])
      expect(AsyncConnection.openCount).toBe(0)
      expect(db.poolStats().used).toBe(0)
    })

    it('offers the same as a callback that always closes the connection', async () => {
      using log = recordConnections()
      const count = await DatabaseConnection.run({ db }, async (conn) => (await conn.query('SELECT * FROM users')).length)
      expect(count).toBe(expectedUsers().length)
      expect(log.events.map((e) => e.type)).toEqual(['open', 'close'])
    })

    it('closes the connection when the block throws, and rethrows the original error', async () => {
      using log = recordConnections()
      const boom = new Error('boom in the block')
      let opened: DatabaseConnection | undefined
      const block = async (): Promise<void> => {
        await using conn = await DatabaseConnection.open({ db })
        opened = conn
        await conn.query('SELECT * FROM users')
        throw boom
      }
      await expect(block()).rejects.toBe(boom)
      expect(opened?.closed).toBe(true)
      expect(log.events.map((e) => e.type)).toEqual(['open', 'close'])
      expect(db.poolStats().used).toBe(0)

      await expect(DatabaseConnection.run({ db }, () => Promise.reject(boom))).rejects.toBe(boom)
      expect(log.events.map((e) => e.type)).toEqual(['open', 'close', 'open', 'close'])
    })

    it('rethrows a failing statement unchanged and still closes', async () => {
      using log = recordConnections()
      const block = async (): Promise<void> => {
        await using conn = await DatabaseConnection.open({ db })
        await conn.query('SELECT * FROM no_such_table')
      }
      await expect(block()).rejects.toThrow(/no_such_table/)
      expect(log.events.map((e) => e.type)).toEqual(['open', 'close'])
    })

    it('closes exactly once, however often it is disposed', async () => {
      using log = recordConnections()
      const conn = await DatabaseConnection.open({ db })
      await Promise.all([conn.close(), conn[Symbol.asyncDispose](), conn.close()])
      await conn[Symbol.asyncDispose]()
      expect(log.events.filter((e) => e.type === 'close')).toHaveLength(1)
      expect(AsyncConnection.openCount).toBe(0)
      await expect(conn.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseClosedError)
    })

    it('lets a statement issued before the block exits finish (returning it without await is safe)', async () => {
      const pending = await (async () => {
        await using conn = await DatabaseConnection.open({ db })
        // no await: the block exits, dispose runs, and the query must still complete first
        return { rows: conn.query<UsersRow>('SELECT * FROM users ORDER BY id'), conn }
      })()
      expect(pending.conn.closed).toBe(true)
      expect(await pending.rows).toEqual(expectedUsers())
    })

    it('disposes nested resources innermost first', async () => {
      using log = recordConnections()
      const ids: number[] = []
      {
        await using outer = await DatabaseConnection.open({ db })
        ids.push(outer.id)
        {
          await using middle = await DatabaseConnection.open({ db })
          ids.push(middle.id)
          await using query = await ExecuteQuery.open<UsersRow>('SELECT * FROM users WHERE age > ?', [25], { db })
          ids.push(query.connection.id)
          // a query on a borrowed connection leaves it open
          await using borrowed = await ExecuteQuery.open('SELECT 1 AS one', [], { connection: outer })
          expect(borrowed.rows).toEqual([{ one: 1 }])
        }
        expect(outer.closed).toBe(false)
      }
      const [outer, middle, inner] = ids
      expect(log.events.filter((e) => e.type === 'close').map((e) => e.id)).toEqual([inner, middle, outer])
    })

    it('opens DATABASE_URL when given no target, and closes what it opened', async () => {
      using log = recordConnections()
      const rows = await withDatabaseUrl(db.rawUrl, async () => {
        await using conn = await DatabaseConnection.open()
        return conn.query<UsersRow>('SELECT * FROM users WHERE id = ?', [1])
      })
      expect(rows).toEqual([expectedUsers()[0]])
      expect(log.events.map((e) => e.type)).toEqual(['open', 'close'])
    })

    describe('transactions: dispose rolls back what was not committed, run() commits on success', () => {
      beforeAll(async () => {
        await db.knex.schema.dropTableIfExists('tx_probe')
        await db.knex.schema.createTable('tx_probe', (t) => t.integer('v'))
      })
      beforeEach(() => db.knex('tx_probe').del())
      const probe = async (): Promise<number[]> => (await db.knex<{ v: number }>('tx_probe').select('v').orderBy('v')).map((r) => r.v)

      it('await using without commit(): BEGIN … ROLLBACK, nothing written', async () => {
        using log = recordStatements()
        {
          await using conn = await DatabaseConnection.open({ db })
          await conn.query(PROBE_INSERT, [1])
        }
        expect(log.sql).toEqual(['BEGIN', PROBE_INSERT, 'ROLLBACK'])
        expect(await probe()).toEqual([])
      })

      it('await using with commit() at the end: the writes stay, the empty transaction after it is rolled back', async () => {
        using log = recordStatements()
        {
          await using conn = await DatabaseConnection.open({ db })
          await conn.query(PROBE_INSERT, [1])
          await conn.commit()
        }
        expect(log.sql).toEqual(['BEGIN', PROBE_INSERT, 'COMMIT', 'BEGIN', 'ROLLBACK'])
        expect(await probe()).toEqual([1])
      })

      it('a read-only block needs no commit()', async () => {
        await db.knex('tx_probe').insert({ v: 7 })
        {
          await using conn = await DatabaseConnection.open({ db })
          expect(await conn.query('SELECT v FROM tx_probe')).toEqual([{ v: 7 }])
        }
        expect(await probe()).toEqual([7])
      })

      it('run(): one COMMIT when fn resolves, nothing after it', async () => {
        using log = recordStatements()
        await DatabaseConnection.run({ db }, (conn) => conn.query(PROBE_INSERT, [2]))
        expect(log.sql).toEqual(['BEGIN', PROBE_INSERT, 'COMMIT'])
        expect(await probe()).toEqual([2])
      })

      it('run(): rolls back when a statement failed in fn, even if fn caught it and resolved', async () => {
        await DatabaseConnection.run({ db }, async (conn) => {
          await conn.query(PROBE_INSERT, [3])
          await conn.query('SELECT * FROM no_such_table').catch(() => undefined)
        })
        expect(await probe()).toEqual([])
      })

      it('run(): fn closing the connection itself rolls back, and run() does not commit afterwards', async () => {
        using log = recordStatements()
        await DatabaseConnection.run({ db }, async (conn) => {
          await conn.query(PROBE_INSERT, [4])
          await conn.close()
        })
        expect(log.sql).toEqual(['BEGIN', PROBE_INSERT, 'ROLLBACK'])
        expect(await probe()).toEqual([])
      })

      it('commit() and rollback() on a closed connection reject with DatabaseClosedError', async () => {
        const conn = await DatabaseConnection.open({ db })
        await conn.close()
        await expect(conn.commit()).rejects.toBeInstanceOf(DatabaseClosedError)
        await expect(conn.rollback()).rejects.toBeInstanceOf(DatabaseClosedError)
      })
    })

    it('accepts a URL string, like the original took a file name', async () => {
      await using conn = await DatabaseConnection.open(db.rawUrl)
      expect(await conn.query('SELECT count(*) AS n FROM users')).toEqual([{ n: expectedUsers().length }])
    })
  })

  it('never keeps the process alive: a connection nobody closed does not stop it from exiting', async () => {
    await using db = await createTestDb('sqlite')
    const started = performance.now()
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'fixtures', 'forgotten-connection.ts'), db.rawUrl], { timeout: 20_000 })
    expect(stdout.trim()).toBe('[{"one":1}]')
    // exit comes right after the output, not when some idle timeout fires
    expect(performance.now() - started).toBeLessThan(8000)
  })

  it('runs SQLite :memory: on a pooled connection (a thread cannot share it)', async () => {
    await using memory = await openDatabase('sqlite::memory:')
    await seedCourseUsers(memory)
    await using conn = await DatabaseConnection.open({ db: memory })
    expect(conn.mode).toBe('pool')
    expect(await conn.query('SELECT count(*) AS n FROM users')).toEqual([{ n: expectedUsers().length }])
  })

  it('rejects contradictory targets and closed databases with clear errors', async () => {
    await using memory = await openDatabase('sqlite::memory:')
    await expect(DatabaseConnection.open({ db: memory, url: 'sqlite::memory:' })).rejects.toThrow(new TypeError('Expected either `db` or `url`, not both (got url sqlite::memory:).'))
    await expect(DatabaseConnection.open({ url: 'postgres://x' })).rejects.toThrow(/runs on SQLite and MySQL\/MariaDB \(use sqlite: or mysql:\/\/\)/)
    await memory.close()
    await expect(DatabaseConnection.open({ db: memory })).rejects.toBeInstanceOf(DatabaseClosedError)
    expect(AsyncConnection.openCount).toBe(0)
  })

  it('fails to open a file it cannot create with the system error, leaving nothing open', async () => {
    await expect(DatabaseConnection.open(`sqlite:${__filename}/x.sqlite`)).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) as unknown })
    expect(AsyncConnection.openCount).toBe(0)
  })
})
