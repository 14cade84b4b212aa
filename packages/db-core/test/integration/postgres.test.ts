import net from 'node:net'
import {
  DatabaseAuthError,
  DatabaseTimeoutError,
  DatabaseUnreachableError,
  MissingDatabaseError,
  createUserDataTable,
  isTransientError,
  openConnection,
  openDatabase,
  parseDatabaseUrl,
  seedSyntheticUsers,
  streamBatches,
  streamRows,
} from '../../src'
import type { UserDataRow } from '../../src'
import { createTestDb, testDialects, testDialectsWithPostgres } from '../../src/testing'

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  )
}

async function listen(onConnection: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: net.Socket[] = []
  const server = net.createServer((s) => {
    sockets.push(s)
    onConnection(s)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe('testDialectsWithPostgres', () => {
  it('adds PostgreSQL only when PG_URL is set; testDialects() never does', () => {
    expect(testDialects({ PG_URL: 'postgres://x' })).toEqual(['sqlite'])
    expect(testDialectsWithPostgres({ PG_URL: 'postgres://x' })).toEqual(['sqlite', 'postgres'])
    expect(testDialectsWithPostgres({ PG_URL: 'postgres://x', MYSQL_URL: 'mysql://x' })).toEqual(['sqlite', 'mysql', 'postgres'])
    expect(testDialectsWithPostgres({})).toEqual(['sqlite'])
  })
})

describe('connect errors on a PostgreSQL server that is not there', () => {
  it('a closed port: DatabaseUnreachableError, password masked', async () => {
    const { port, close } = await listen(() => {})
    await close()
    const err = await failure(openDatabase(`postgres://postgres:hunter2@127.0.0.1:${port}/x`))
    expect(err).toBeInstanceOf(DatabaseUnreachableError)
    expect((err as Error).message).toBe(`cannot reach PostgreSQL at 127.0.0.1:${port}: connection refused — is the server running? (url postgres://postgres:***@127.0.0.1:${port}/x)`)
  })

  it('a port that accepts and never answers: DatabaseTimeoutError after connectTimeoutMs', async () => {
    const server = await listen(() => {})
    try {
      const started = performance.now()
      const err = await failure(openDatabase(`postgres://postgres@127.0.0.1:${server.port}/x`, { connectTimeoutMs: 1000 }))
      const took = performance.now() - started
      expect(err).toBeInstanceOf(DatabaseTimeoutError)
      expect((err as Error).message).toBe(`cannot reach PostgreSQL at 127.0.0.1:${server.port}: no answer within 1 s — is the server up, and is this its port? (url postgres://postgres@127.0.0.1:${server.port}/x)`)
      expect(took).toBeGreaterThanOrEqual(900)
      expect(took).toBeLessThan(3000)
    } finally {
      await server.close()
    }
  }, 20_000)

  it('a server that hangs up during the handshake: DatabaseUnreachableError asking whether it is PostgreSQL', async () => {
    const server = await listen((s) => s.end())
    try {
      const err = await failure(openDatabase(`postgres://postgres@127.0.0.1:${server.port}/x`))
      expect(err).toBeInstanceOf(DatabaseUnreachableError)
      expect((err as Error).message).toBe(
        `cannot reach PostgreSQL at 127.0.0.1:${server.port}: the server closed the connection during the handshake — is it a PostgreSQL server? (url postgres://postgres@127.0.0.1:${server.port}/x)`,
      )
    } finally {
      await server.close()
    }
  })
})

// PostgreSQL runs whenever PG_URL is set (CI sets it); without it only the tests above run.
for (const dialect of testDialectsWithPostgres().filter((d) => d === 'postgres')) {
  describe(`db-core on a real ${dialect} server`, () => {
    const serverUrl = process.env.PG_URL ?? ''
    const config = parseDatabaseUrl(serverUrl)
    if (config.dialect !== 'postgres') throw new Error('PG_URL must be a postgres:// URL')
    const base = `${config.host}:${config.port}`
    const auth = config.password ? `${config.user}:${encodeURIComponent(config.password)}` : config.user

    describe('URLs and connect errors', () => {
      it('opens postgresql:// URLs with ?application_name=, which the server sees', async () => {
        await using db = await openDatabase(`postgresql://${auth}@${base}/${config.database ?? ''}?application_name=alx_db_core_test&sslmode=disable`)
        expect(db.dialect).toBe('postgres')
        expect(db.config).toMatchObject({ dialect: 'postgres', host: config.host, port: config.port, applicationName: 'alx_db_core_test' })
        const { rows } = await db.knex.raw<{ rows: Array<{ name: string }> }>('SELECT current_setting(?) AS name', ['application_name'])
        expect(rows).toEqual([{ name: 'alx_db_core_test' }])
      })

      it('a database that does not exist: MissingDatabaseError naming it', async () => {
        const name = `alx_missing_${process.pid}`
        const err = await failure(openDatabase(`postgres://${auth}@${base}/${name}`))
        expect(err).toBeInstanceOf(MissingDatabaseError)
        expect((err as Error).message).toBe(`database "${name}" does not exist on PostgreSQL at ${base}: create it (CREATE DATABASE "${name}") or fix the name in the URL (url ${parseDatabaseUrl(`postgres://${auth}@${base}/${name}`).url})`)
      })

      it('a role that does not exist (28000): DatabaseAuthError naming it, password masked; once created it connects', async () => {
        const role = `alx_role_${process.pid}`
        const url = `postgres://${role}:not-shown@${base}/${config.database ?? 'postgres'}`
        const err = await failure(openDatabase(url))
        expect(err).toBeInstanceOf(DatabaseAuthError)
        expect((err as Error).message).toBe(
          `access denied for ${role}@${config.host}: role "${role}" does not exist — create it (CREATE ROLE "${role}" LOGIN) or fix the user in the URL (url postgres://${role}:***@${base}/${config.database ?? 'postgres'})`,
        )
        await using admin = await openDatabase(serverUrl, { pool: { max: 1 } })
        await admin.knex.raw(`CREATE ROLE "${role}" LOGIN PASSWORD 'right-pass'`)
        try {
          // a trust-auth server accepts any password; one with password auth needs the right one
          const rightUrl = url.replace('not-shown', 'right-pass')
          await using ok = await openDatabase(rightUrl)
          const { rows } = await ok.knex.raw<{ rows: Array<{ who: string }> }>('SELECT current_user AS who')
          expect(rows).toEqual([{ who: role }])
        } finally {
          await admin.knex.raw(`DROP ROLE IF EXISTS "${role}"`)
        }
      })
    })

    describe('types, placeholders and connections', () => {
      it('gives DECIMAL ages and COUNT(*) as numbers, as MySQL and SQLite do; BIGINT past 2^53 as a string', async () => {
        await using db = await createTestDb('postgres')
        await createUserDataTable(db)
        await db.knex('user_data').insert({ user_id: '00000000-0000-4000-8000-000000000001', name: 'Ada', email: 'ada@x.org', age: 36.5 })
        expect(await db.knex('user_data').select('age')).toEqual([{ age: 36.5 }])
        expect(await db.knex('user_data').count({ n: '*' })).toEqual([{ n: 1 }])
        const { rows } = await db.knex.raw<{ rows: unknown[] }>('SELECT 9007199254740993::bigint AS big, 7::bigint AS small')
        expect(rows).toEqual([{ big: '9007199254740993', small: 7 }])
      })

      it('conn.query numbers ? placeholders (not inside strings), returns rows or affectedRows', async () => {
        await using db = await createTestDb('postgres')
        await createUserDataTable(db)
        await using conn = await openConnection(db)
        expect(await conn.query("SELECT ?::int AS v, '?' AS q, ?::text AS t", [42, 'x'])).toEqual([{ v: 42, q: '?', t: 'x' }])
        expect(await conn.query('INSERT INTO user_data VALUES (?, ?, ?, ?), (?, ?, ?, ?)', ['00000000-0000-4000-8000-000000000001', 'A', 'a@x', 1, '00000000-0000-4000-8000-000000000002', 'B', 'b@x', 2])).toEqual([{ affectedRows: 2 }])
        expect(await conn.query('UPDATE user_data SET age = age + 1 WHERE age > ?', [1])).toEqual([{ affectedRows: 1 }])
        expect(await conn.query('SELECT name FROM user_data WHERE age > ? ORDER BY name', [100])).toEqual([])
        await expect(conn.query('SELEC 1')).rejects.toMatchObject({ code: '42601' })
        expect(await conn.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
      })

      it('a raw transaction on one connection rolls back, and a savepoint keeps the outer work', async () => {
        await using db = await createTestDb('postgres')
        await createUserDataTable(db)
        await using conn = await openConnection(db)
        const insert = (id: number) => conn.query('INSERT INTO user_data VALUES (?, ?, ?, ?)', [`00000000-0000-4000-8000-${String(id).padStart(12, '0')}`, `U${id}`, `u${id}@x`, id])
        await conn.query('BEGIN')
        await insert(1)
        await conn.query('ROLLBACK')
        await conn.query('BEGIN')
        await insert(2)
        await conn.query('SAVEPOINT s1')
        await insert(3)
        await conn.query('ROLLBACK TO SAVEPOINT s1')
        await conn.query('COMMIT')
        expect(await conn.query('SELECT name FROM user_data')).toEqual([{ name: 'U2' }])
      })
    })

    describe('streaming on a server-side cursor', () => {
      it('streams 100k rows in constant memory (RSS growth bounded), at a measured rate', async () => {
        await using db = await createTestDb('postgres')
        await seedSyntheticUsers(db, 100_000, { batchSize: 500 })
        global.gc?.()
        const before = process.memoryUsage().rss
        let peak = before
        let n = 0
        let ageSum = 0
        const started = performance.now()
        for await (const row of streamRows<UserDataRow>(db, 'SELECT * FROM user_data ORDER BY user_id', { batchSize: 1000 })) {
          n++
          ageSum += row.age
          if (n % 5000 === 0) peak = Math.max(peak, process.memoryUsage().rss)
        }
        const seconds = (performance.now() - started) / 1000
        const growthMb = (peak - before) / 2 ** 20
        process.stderr.write(`postgres streamRows: ${n} rows in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} rows/s, peak RSS growth ${growthMb.toFixed(1)} MB\n`)
        expect(n).toBe(100_000)
        expect(ageSum).toBeGreaterThan(0)
        // the whole result materialised would be ~60 MB of JS objects; a cursor holds two batches
        expect(growthMb).toBeLessThan(32)
        expect(db.poolStats().used).toBe(0)
        let batches = 0
        for await (const batch of streamBatches(db, 'SELECT user_id FROM user_data', { batchSize: 4096 })) batches += batch.length > 0 ? 1 : 0
        expect(batches).toBe(Math.ceil(100_000 / 4096))
      }, 120_000)

      it('an early break closes the portal and gives the same session back to the pool, reusable', async () => {
        await using db = await createTestDb('postgres', { pool: { max: 1 } })
        await seedSyntheticUsers(db, 5000)
        const pid = async (): Promise<number> => {
          await using conn = await openConnection(db)
          const [row] = await conn.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
          return row?.pid ?? -1
        }
        const first = await pid()
        for (let round = 0; round < 3; round++) {
          let n = 0
          for await (const _row of streamRows(db, 'SELECT * FROM user_data ORDER BY user_id', { batchSize: 10 })) if (++n === 25) break
          expect(n).toBe(25)
          expect(db.poolStats().used).toBe(0)
        }
        expect(await pid()).toBe(first)
        // no portal or transaction left open on it
        await using conn = await openConnection(db)
        expect(await conn.query("SELECT count(*) AS n FROM pg_cursors")).toEqual([{ n: 0 }])
        expect(await conn.query("SELECT state FROM pg_stat_activity WHERE pid = pg_backend_pid()")).toEqual([{ state: 'active' }])
      })

      it('a query error rejects the loop and releases the connection', async () => {
        await using db = await createTestDb('postgres')
        const err = await failure(
          (async () => {
            for await (const row of streamRows(db, 'SELECT * FROM no_such_table')) void row
          })(),
        )
        expect(err).toMatchObject({ code: '42P01' })
        expect(db.poolStats().used).toBe(0)
        expect(await db.knex.raw('SELECT 1 AS one').then((r: { rows: unknown[] }) => r.rows)).toEqual([{ one: 1 }])
      })
    })

    describe('isTransientError on real PostgreSQL faults', () => {
      const setup = async () => {
        const db = await createTestDb('postgres')
        await db.knex.raw('CREATE TABLE acct (id int PRIMARY KEY, n int NOT NULL)')
        await db.knex.raw('INSERT INTO acct VALUES (1, 0), (2, 0)')
        return db
      }

      it('a deadlock (40P01)', async () => {
        await using db = await setup()
        await using a = await openConnection(db)
        await using b = await openConnection(db)
        await a.query('BEGIN')
        await b.query('BEGIN')
        await a.query('UPDATE acct SET n = 1 WHERE id = 1')
        await b.query('UPDATE acct SET n = 1 WHERE id = 2')
        const first = a.query('UPDATE acct SET n = 2 WHERE id = 2').catch((err: unknown) => err)
        await new Promise((r) => setTimeout(r, 200))
        const second = b.query('UPDATE acct SET n = 2 WHERE id = 1').catch((err: unknown) => err)
        const deadlock = (await Promise.all([first, second])).find((o) => o instanceof Error || (typeof o === 'object' && o !== null && 'code' in o))
        await a.query('ROLLBACK')
        await b.query('ROLLBACK')
        expect(deadlock).toMatchObject({ code: '40P01' })
        expect(isTransientError(deadlock)).toBe(true)
      })

      it('a serialization failure (40001)', async () => {
        await using db = await setup()
        await using a = await openConnection(db)
        await using b = await openConnection(db)
        await a.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
        await b.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
        await a.query('SELECT n FROM acct WHERE id = 1')
        await b.query('SELECT n FROM acct WHERE id = 1')
        await a.query('UPDATE acct SET n = n + 1 WHERE id = 1')
        const blocked = b.query('UPDATE acct SET n = n + 1 WHERE id = 1').catch((err: unknown) => err)
        await a.query('COMMIT')
        const err = await blocked
        await b.query('ROLLBACK')
        expect(err).toMatchObject({ code: '40001' })
        expect(isTransientError(err)).toBe(true)
        expect(isTransientError(await a.query('SELEC 1').catch((e: unknown) => e))).toBe(false)
      })

      it('a session ended by the administrator (57P01): transient, and the pool replaces the connection', async () => {
        await using db = await setup()
        const victim = await openConnection(db)
        const [row] = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
        await using admin = await openConnection(db)
        await admin.query('SELECT pg_terminate_backend(?)', [row?.pid])
        const err = await victim.query('SELECT 1').catch((e: unknown) => e)
        expect(isTransientError(err)).toBe(true)
        await victim.release()
        await admin.release()
        // the dead session is not handed out again
        for (let i = 0; i < 3; i++) expect(await db.knex.raw<{ rows: unknown[] }>('SELECT 1 AS one')).toMatchObject({ rows: [{ one: 1 }] })
      })
    })
  })
}
