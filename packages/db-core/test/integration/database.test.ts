import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  CsvRowError,
  SAMPLE_CSV_PATH,
  beginTransaction,
  createUserDataTable,
  createUsersTable,
  isTransientError,
  keysetPages,
  migrateCourseSchema,
  onQuery,
  openConnection,
  openDatabase,
  seedSyntheticUsers,
  STATEMENT_CACHE_SIZE,
  seedUserDataFromCsv,
  streamBatches,
  streamRows,
  withConnection,
  withTransaction,
} from '../../src'
import type { QueryEvent, UserDataRow } from '../../src'
import { createTestDb, testDialects, testDialectsWithPostgres } from '../../src/testing'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'db-core-csv-'))
function csv(name: string, body: string): string {
  const file = path.join(tmp, name)
  writeFileSync(file, body)
  return file
}

describe('openDatabase', () => {
  it('opens the embedded SQLite file when DATABASE_URL is unset', async () => {
    const saved = process.env.DATABASE_URL
    delete process.env.DATABASE_URL
    try {
      await using db = await openDatabase()
      expect(db.dialect).toBe('sqlite')
      expect(db.url).toMatch(/\.data\/alx\.sqlite$/)
      expect(await db.knex.raw('select 1 as one')).toEqual([{ one: 1 }])
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved
    }
  })

  it('reads DATABASE_URL when no url is given', async () => {
    const saved = process.env.DATABASE_URL
    process.env.DATABASE_URL = 'sqlite::memory:'
    try {
      await using db = await openDatabase()
      expect(db.config).toMatchObject({ dialect: 'sqlite', filename: ':memory:' })
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL
      else process.env.DATABASE_URL = saved
    }
  })

  it('fails fast on an unreachable MySQL server, without leaking the password', async () => {
    await expect(openDatabase('mysql://root:topsecret@127.0.0.1:1/test', { acquireTimeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED|connect/)
  })

  it('rejects a bad closeTimeoutMs, naming it', async () => {
    await expect(openDatabase('sqlite::memory:', { closeTimeoutMs: -1 })).rejects.toThrow(new TypeError('Expected `closeTimeoutMs` to be a non-negative number of milliseconds, got -1.'))
  })

  it('closes once, however often it is disposed', async () => {
    const db = await openDatabase('sqlite::memory:')
    await db.close()
    await db[Symbol.asyncDispose]()
    expect(db.closed).toBe(true)
    await expect(openConnection(db)).rejects.toMatchObject({ code: 'DB_CLOSED' })
  })
})

describe.each(testDialectsWithPostgres())('db-core on %s', (dialect) => {
  const rows = (n: number): UserDataRow[] =>
    Array.from({ length: n }, (_, i) => ({ user_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `User ${i}`, email: `u${i}@example.org`, age: 20 + (i % 10) }))

  async function withUsers(n: number) {
    const db = await createTestDb(dialect)
    await createUserDataTable(db)
    for (let i = 0; i < n; i += 200) await db.knex('user_data').insert(rows(n).slice(i, i + 200))
    return db
  }

  describe('streaming', () => {
    it('streams every row in order, one at a time', async () => {
      await using db = await withUsers(1234)
      const seen: string[] = []
      for await (const row of streamRows<UserDataRow>(db, db.knex('user_data').orderBy('user_id'), { batchSize: 100 })) seen.push(row.user_id)
      expect(seen).toEqual(rows(1234).map((r) => r.user_id))
      expect(db.poolStats().used).toBe(0)
    })

    it('releases the connection when the loop breaks early (pool back to zero)', async () => {
      await using db = await withUsers(5000)
      for (let round = 0; round < 3; round++) {
        let n = 0
        for await (const _row of streamRows(db, 'SELECT * FROM user_data ORDER BY user_id', { batchSize: 10 })) {
          expect(db.poolStats().used).toBe(1)
          if (++n === 3) break
        }
        expect(n).toBe(3)
        expect(db.poolStats().used).toBe(0)
      }
      // the pool still works after abandoned cursors
      expect(await db.knex('user_data').count({ n: '*' })).toEqual([{ n: 5000 }])
    })

    it('releases the connection when the consumer throws and when aborted', async () => {
      await using db = await withUsers(100)
      await expect(
        (async () => {
          for await (const _row of streamRows(db, 'SELECT * FROM user_data')) throw new Error('consumer failed')
        })(),
      ).rejects.toThrow('consumer failed')
      expect(db.poolStats().used).toBe(0)
      const controller = new AbortController()
      let n = 0
      await expect(
        (async () => {
          for await (const _row of streamRows(db, 'SELECT * FROM user_data', { signal: controller.signal })) if (++n === 5) controller.abort(new Error('stop'))
        })(),
      ).rejects.toThrow('stop')
      expect(n).toBe(5)
      expect(db.poolStats().used).toBe(0)
    })

    it('binds parameters', async () => {
      await using db = await withUsers(100)
      const older: UserDataRow[] = []
      for await (const row of streamRows<UserDataRow>(db, { sql: 'SELECT * FROM user_data WHERE age > ? ORDER BY user_id', bindings: [27] })) older.push(row)
      expect(older.map((r) => r.user_id)).toEqual(rows(100).filter((r) => r.age > 27).map((r) => r.user_id))
      expect(typeof older[0]?.age).toBe('number')
    })

    it('streamBatches yields full batches and a shorter last one', async () => {
      await using db = await withUsers(105)
      const sizes: number[] = []
      for await (const batch of streamBatches(db, 'SELECT * FROM user_data ORDER BY user_id', { batchSize: 25 })) sizes.push(batch.length)
      expect(sizes).toEqual([25, 25, 25, 25, 5])
      const exact: number[] = []
      for await (const batch of streamBatches(db, 'SELECT * FROM user_data', { batchSize: 105 })) exact.push(batch.length)
      expect(exact).toEqual([105])
      expect(db.poolStats().used).toBe(0)
    })

    it('streamBatches releases on early break', async () => {
      await using db = await withUsers(300)
      for await (const batch of streamBatches(db, 'SELECT * FROM user_data', { batchSize: 10 })) {
        expect(batch).toHaveLength(10)
        break
      }
      expect(db.poolStats().used).toBe(0)
    })

    it('keysetPages walks the table by key, lazily, one query per page', async () => {
      await using db = await withUsers(250)
      const events: QueryEvent[] = []
      const off = onQuery(db, (e) => events.push(e))
      const pages = keysetPages<Record<string, unknown>>(db, 'user_data', { key: 'user_id', pageSize: 100 })
      expect(events).toHaveLength(0)
      const first = await pages.next()
      expect(first.value).toHaveLength(100)
      expect(events).toHaveLength(1)
      const rest: number[] = []
      for await (const page of pages) rest.push(page.length)
      off()
      expect(rest).toEqual([100, 50])
      expect(events).toHaveLength(3)
      expect(events.every((e) => e.ok && e.bindingCount >= 1 && !e.sql.includes('00000000'))).toBe(true)
    })

    it('rejects a bad batchSize before touching the database', async () => {
      await using db = await withUsers(1)
      expect(() => streamRows(db, 'SELECT 1', { batchSize: 0 })).toThrow('Expected `batchSize` to be a positive integer, got 0.')
      expect(db.poolStats().used).toBe(0)
    })
  })

  describe('close() with connections still checked out', () => {
    async function usersIn(n: number, closeTimeoutMs: number) {
      const db = await createTestDb(dialect, { closeTimeoutMs })
      await createUserDataTable(db)
      for (let i = 0; i < n; i += 200) await db.knex('user_data').insert(rows(n).slice(i, i + 200))
      return db
    }

    it('ends a cursor dropped half-way (no return()) after the grace period instead of waiting forever', async () => {
      const db = await usersIn(3000, 200)
      const rowsCursor = streamRows(db, 'SELECT * FROM user_data ORDER BY user_id', { batchSize: 10 })
      const batches = streamBatches(db, 'SELECT * FROM user_data ORDER BY user_id', { batchSize: 10 })
      expect((await rowsCursor.next()).done).toBe(false)
      expect((await batches.next()).value).toHaveLength(10)
      expect(db.poolStats().used).toBe(2)
      const started = Date.now()
      await db.close()
      const took = Date.now() - started
      expect(took).toBeGreaterThanOrEqual(150)
      expect(took).toBeLessThan(5000)
      expect(db.poolStats()).toEqual({ used: 0, free: 0, pending: 0 })
      // the dropped consumers can still be finished without an error
      await expect(rowsCursor.return()).resolves.toEqual({ value: undefined, done: true })
      await expect(batches.return()).resolves.toEqual({ value: undefined, done: true })
    })

    it('takes back a connection never released, and the late release() is harmless', async () => {
      const db = await usersIn(10, 100)
      const conn = await openConnection(db)
      expect(await conn.query('SELECT COUNT(*) AS n FROM user_data')).toEqual([{ n: 10 }])
      await db.close()
      expect(db.poolStats().used).toBe(0)
      await expect(conn.release()).resolves.toBeUndefined()
    })

    it('waits for a connection given back within the grace period, and takes nothing by force', async () => {
      const db = await usersIn(10, 5000)
      const conn = await openConnection(db)
      const events: string[] = []
      setTimeout(() => {
        void conn.query('SELECT COUNT(*) AS n FROM user_data').then(async (result) => {
          events.push(`query ${JSON.stringify(result)}`)
          await conn.release()
        })
      }, 100)
      await db.close()
      events.push('closed')
      expect(events).toEqual(['query [{"n":10}]', 'closed'])
    })
  })

  describe('connections and transactions', () => {
    it('withConnection releases on return and on throw', async () => {
      await using db = await createTestDb(dialect)
      expect(await withConnection(db, (c) => c.query<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }])
      await expect(withConnection(db, () => Promise.reject(new Error('nope')))).rejects.toThrow('nope')
      expect(db.poolStats().used).toBe(0)
      {
        await using conn = await openConnection(db)
        expect(db.poolStats().used).toBe(1)
        // PostgreSQL types an untyped parameter in a select list as text: cast it there
        expect(await conn.query(dialect === 'postgres' ? 'SELECT ?::int AS v' : 'SELECT ? AS v', [42])).toEqual([{ v: 42 }])
      }
      expect(db.poolStats().used).toBe(0)
    })

    it('rolls back on throw and on dispose without commit; commits on commit', async () => {
      await using db = await createTestDb(dialect)
      await createUsersTable(db)
      await expect(
        withTransaction(db, async (trx) => {
          await trx('users').insert([{ name: 'a', email: 'a@x' }, { name: 'b', email: 'b@x' }])
          throw new Error('half-way')
        }),
      ).rejects.toThrow('half-way')
      expect(await db.knex('users').count({ n: '*' })).toEqual([{ n: 0 }])
      {
        await using tx = await beginTransaction(db)
        await tx.knex('users').insert({ name: 'c', email: 'c@x' })
      }
      expect(await db.knex('users').count({ n: '*' })).toEqual([{ n: 0 }])
      {
        await using tx = await beginTransaction(db)
        await tx.knex('users').insert({ name: 'd', email: 'd@x' })
        await tx.commit()
        expect(tx.committed).toBe(true)
      }
      expect(await db.knex('users').pluck('name')).toEqual(['d'])
      expect(db.poolStats().used).toBe(0)
    })

    it('nested transactions use a savepoint: the inner rollback keeps the outer work', async () => {
      await using db = await createTestDb(dialect)
      await createUsersTable(db)
      await withTransaction(db, async (outer) => {
        await outer('users').insert({ name: 'outer', email: 'o@x' })
        await expect(
          withTransaction(outer, async (inner) => {
            await inner('users').insert({ name: 'inner', email: 'i@x' })
            throw new Error('inner failed')
          }),
        ).rejects.toThrow('inner failed')
      })
      expect(await db.knex('users').pluck('name')).toEqual(['outer'])
    })

    it('migrateCourseSchema creates both course tables, idempotently', async () => {
      await using db = await createTestDb(dialect)
      await migrateCourseSchema(db)
      await migrateCourseSchema(db)
      expect(await db.knex.schema.hasTable('user_data')).toBe(true)
      expect(await db.knex.schema.hasTable('users')).toBe(true)
    })
  })

  describe('CSV seeder', () => {
    it('seeds the shipped sample, and re-running inserts nothing new', async () => {
      await using db = await createTestDb(dialect)
      const first = await seedUserDataFromCsv(db, SAMPLE_CSV_PATH, { batchSize: 64 })
      expect(first.rows).toBeGreaterThanOrEqual(200)
      expect(first).toEqual({ rows: first.rows, inserted: first.rows, skipped: 0 })
      expect(await seedUserDataFromCsv(db, SAMPLE_CSV_PATH)).toEqual({ rows: first.rows, inserted: 0, skipped: first.rows })
      expect(await db.knex('user_data').count({ n: '*' })).toEqual([{ n: first.rows }])
      const [row] = (await db.knex('user_data').orderBy('user_id').limit(1)) as UserDataRow[]
      expect(typeof row?.age).toBe('number')
    })

    it('keeps ids given in a user_id column', async () => {
      await using db = await createTestDb(dialect)
      const file = csv('ids.csv', 'user_id,name,email,age\n00234e50-34eb-4ce2-94ec-26e3fa749796,"Dan Altenwerth Jr.",Molly59@gmail.com,67\n')
      await seedUserDataFromCsv(db, file)
      expect(await db.knex('user_data').select('*')).toEqual([{ user_id: '00234e50-34eb-4ce2-94ec-26e3fa749796', name: 'Dan Altenwerth Jr.', email: 'Molly59@gmail.com', age: 67 }])
    })

    it.each([
      ['bad-age.csv', 'name,email,age\n"A","a@x.org",30\n"B","b@x.org",abc\n', 3, 'age'],
      ['bad-email.csv', 'name,email,age\n"A","a@x.org",30\n"C","c@x.org",31\n"B","not-an-email",40\n', 4, 'email'],
      ['bad-quote.csv', 'name,email,age\n"A","a@x.org",30\n"B,"b@x.org",40\n', 3, 'row'],
    ])('%s: names the line and inserts nothing of the file', async (name, body, line, field) => {
      await using db = await createTestDb(dialect)
      const file = csv(name, body)
      const error = await seedUserDataFromCsv(db, file, { batchSize: 1 }).catch((err: unknown) => err)
      expect(error).toBeInstanceOf(CsvRowError)
      expect(error).toMatchObject({ line, field, code: 'DB_CSV_INVALID_ROW' })
      expect((error as Error).message).toContain(`${name}:${line}:`)
      expect(await db.knex('user_data').count({ n: '*' })).toEqual([{ n: 0 }])
    })

    it('seeds synthetic rows idempotently', async () => {
      await using db = await createTestDb(dialect)
      expect(await seedSyntheticUsers(db, 1000, { seed: 3 })).toEqual({ rows: 1000, inserted: 1000, skipped: 0 })
      expect(await seedSyntheticUsers(db, 1000, { seed: 3 })).toEqual({ rows: 1000, inserted: 0, skipped: 1000 })
    })
  })
})

describe('conn.query on SQLite keeps prepared statements', () => {
  it('prepares a repeated text once per connection, stays bounded, and sees schema changes made elsewhere', async () => {
    await using db = await createTestDb('sqlite')
    await createUsersTable(db)
    await db.knex('users').insert([{ name: 'Ada', email: 'ada@example.com', age: 36 }])
    await using conn = await openConnection(db)
    const raw = conn.raw as unknown as { prepare(sql: string): unknown }
    const prepare = jest.spyOn(raw, 'prepare')
    for (let i = 0; i < 100; i += 1) expect(await conn.query('SELECT name FROM users WHERE id = ?', [1])).toEqual([{ name: 'Ada' }])
    expect(prepare).toHaveBeenCalledTimes(1)
    // more distinct texts than the cache holds: the oldest is dropped and prepared again when it comes back
    for (let i = 0; i <= STATEMENT_CACHE_SIZE; i += 1) await conn.query(`SELECT ${i} AS n`)
    prepare.mockClear()
    await conn.query('SELECT name FROM users WHERE id = ?', [1])
    expect(prepare).toHaveBeenCalledTimes(1)
    await conn.query(`SELECT ${STATEMENT_CACHE_SIZE} AS n`)
    expect(prepare).toHaveBeenCalledTimes(1)
    // a column added through another handle shows up in the kept `SELECT *`
    expect(await conn.query('SELECT * FROM users WHERE id = ?', [1])).toEqual([expect.not.objectContaining({ nickname: expect.anything() as unknown })])
    await using other = await openDatabase(db.rawUrl)
    await other.knex.raw("ALTER TABLE users ADD COLUMN nickname TEXT DEFAULT 'A'")
    expect(await conn.query('SELECT * FROM users WHERE id = ?', [1])).toEqual([expect.objectContaining({ name: 'Ada', nickname: 'A' })])
    // a failing run leaves the kept statement usable
    await expect(conn.query('INSERT INTO users (id, name, email) VALUES (?, ?, ?)', [1, 'Dup', 'dup@example.com'])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })
    expect(await conn.query('INSERT INTO users (id, name, email) VALUES (?, ?, ?)', [2, 'Grace', 'grace@example.com'])).toEqual([{ affectedRows: 1, insertId: 2 }])
  })
})

describe('isTransientError on real faults', () => {
  it('recognises a real SQLite BUSY', async () => {
    await using db = await createTestDb('sqlite', { busyTimeoutMs: 50 })
    await createUsersTable(db)
    await using other = await openDatabase(db.rawUrl, { busyTimeoutMs: 50 })
    await using holder = await openConnection(other)
    await holder.query('BEGIN IMMEDIATE')
    const error = await db.knex('users').insert({ name: 'x', email: 'x@x' }).catch((err: unknown) => err)
    await holder.query('ROLLBACK')
    expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) as unknown })
    expect(isTransientError(error)).toBe(true)
    expect(isTransientError(await db.knex.raw('SELEC nonsense').catch((err: unknown) => err))).toBe(false)
  })

})

// MariaDB runs whenever MYSQL_URL is set (CI always sets it); without it the file still runs its SQLite tests.
for (const dialect of testDialects().filter((d) => d === 'mysql')) {
  describe(`isTransientError on a real ${dialect} fault`, () => {
    it('recognises a real MariaDB deadlock', async () => {
      await using db = await createTestDb('mysql')
      await createUsersTable(db)
      await db.knex('users').insert([{ id: 1, name: 'a', email: 'a@x' }, { id: 2, name: 'b', email: 'b@x' }])
      await using a = await beginTransaction(db)
      await using b = await beginTransaction(db)
      await a.knex('users').where({ id: 1 }).update({ name: 'a1' })
      await b.knex('users').where({ id: 2 }).update({ name: 'b1' })
      const first = a.knex('users').where({ id: 2 }).update({ name: 'a2' }).catch((err: unknown) => err)
      await new Promise((r) => setTimeout(r, 200))
      const second = b.knex('users').where({ id: 1 }).update({ name: 'b2' }).catch((err: unknown) => err)
      const outcomes = await Promise.all([first, second])
      const deadlock = outcomes.find((o) => o instanceof Error)
      expect(deadlock).toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })
      expect(isTransientError(deadlock)).toBe(true)
    })
  })
}
