import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {
  DatabaseAuthError,
  DatabaseFileError,
  DatabaseTimeoutError,
  DatabaseUnreachableError,
  MissingDatabaseError,
  NoDatabaseSelectedError,
  migrateCourseSchema,
  openConnection,
  openDatabase,
  parseDatabaseUrl,
  streamRows,
} from '../../src'
import { testDialects } from '../../src/testing'

const PACKAGE_DIR = path.resolve(__dirname, '..', '..')

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Runs db-core's seed CLI as a user would, without jest's silent logger. */
function seedCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { JEST_WORKER_ID: _worker, LOG_LEVEL: _level, DATABASE_URL: _url, ...parent } = process.env
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(PACKAGE_DIR, 'bin', 'seed.ts'), ...args], { cwd: PACKAGE_DIR, env: { ...parent, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stdout, stderr })
    })
  })
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  )
}

describe('connect errors on SQLite', () => {
  it('a folder that cannot be created fails at once with DatabaseFileError (mkdir -p would loop on /proc)', async () => {
    const started = performance.now()
    const err = await failure(openDatabase('sqlite:/proc/alx-x/x.db'))
    expect(performance.now() - started).toBeLessThan(1000)
    expect(err).toBeInstanceOf(DatabaseFileError)
    expect((err as Error).message).toBe('cannot open SQLite file /proc/alx-x/x.db: cannot create the folder /proc/alx-x (ENOENT) — use a path in a folder you can write (url sqlite:/proc/alx-x/x.db)')
  })

  it('a file where a folder should be is named', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-connect-'))
    try {
      writeFileSync(path.join(dir, 'plain'), 'x')
      const err = await failure(openDatabase(`sqlite:${dir}/plain/x.db`))
      expect(err).toBeInstanceOf(DatabaseFileError)
      expect((err as Error).message).toContain(`${dir}/plain is a file, not a folder`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a folder given as the database file fails on the first statement with DatabaseFileError', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-connect-'))
    try {
      await using db = await openDatabase(`sqlite:${dir}`)
      const err = await failure(db.knex.raw('SELECT 1'))
      expect(err).toBeInstanceOf(DatabaseFileError)
      expect((err as Error).message).toMatch(new RegExp(`^cannot open SQLite file ${dir}: .* — check that its folder exists and you can write to it \\(url sqlite:${dir}\\)$`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('connect errors on a MySQL server that is not there', () => {
  it('a closed port: DatabaseUnreachableError, printed by the CLI once, one line, exit 1', async () => {
    const port = await closedPort()
    const url = `mysql://root:hunter2@127.0.0.1:${port}/x`
    const err = await failure(openDatabase(url))
    expect(err).toBeInstanceOf(DatabaseUnreachableError)
    expect((err as Error).message).toBe(`cannot reach MySQL at 127.0.0.1:${port}: connection refused — is the server running? (url mysql://root:***@127.0.0.1:${port}/x)`)

    const run = await seedCli([], { DATABASE_URL: `mysql://root@127.0.0.1:${port}/x` })
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `seed: cannot reach MySQL at 127.0.0.1:${port}: connection refused — is the server running? (DATABASE_URL=mysql://root@127.0.0.1:${port}/x)\n`,
    })
  }, 20_000)

  it('a port that accepts and never answers: DatabaseTimeoutError after connectTimeoutMs, 4 s by default', async () => {
    const sockets: net.Socket[] = []
    const server = net.createServer((s) => void sockets.push(s))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as net.AddressInfo
    try {
      let started = performance.now()
      const quick = await failure(openDatabase(`mysql://root@127.0.0.1:${port}/x`, { connectTimeoutMs: 1000 }))
      const quickMs = performance.now() - started
      expect(quick).toBeInstanceOf(DatabaseTimeoutError)
      expect((quick as Error).message).toBe(`cannot reach MySQL at 127.0.0.1:${port}: no answer within 1 s — is the server up, and is this its port? (url mysql://root@127.0.0.1:${port}/x)`)
      expect(quickMs).toBeGreaterThanOrEqual(900)
      expect(quickMs).toBeLessThan(2500)
      started = performance.now()
      const byDefault = await failure(openDatabase(`mysql://root@127.0.0.1:${port}/x`))
      const defaultMs = performance.now() - started
      expect(byDefault).toBeInstanceOf(DatabaseTimeoutError)
      expect(defaultMs).toBeGreaterThanOrEqual(3900)
      expect(defaultMs).toBeLessThan(5500)
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }, 20_000)
})

for (const dialect of testDialects().filter((d) => d === 'mysql')) {
  describe(`connect errors on a real ${dialect} server`, () => {
    const serverUrl = process.env.MYSQL_URL ?? ''
    const config = parseDatabaseUrl(serverUrl)
    if (config.dialect !== 'mysql') throw new Error('MYSQL_URL must be a mysql:// URL')
    const base = `${config.host}:${config.port}`

    it('a wrong password: DatabaseAuthError naming the user, password masked; the right one connects', async () => {
      const user = `alx_auth_${process.pid}`
      await using admin = await openDatabase(serverUrl, { pool: { max: 1 } })
      await admin.knex.raw(`CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY 'right-pass'`)
      await admin.knex.raw(`CREATE USER IF NOT EXISTS '${user}'@'localhost' IDENTIFIED BY 'right-pass'`)
      try {
        const err = await failure(openDatabase(`mysql://${user}:wrong@pass@${base}/`))
        expect(err).toBeInstanceOf(DatabaseAuthError)
        expect((err as Error).message).toBe(`access denied for ${user}@${config.host}: check the password in the URL (url mysql://${user}:***@${base}/)`)
        expect((err as Error).message).not.toContain('wrong')
        // another database on the server DATABASE_URL names (as generators-0x00 opens ALX_prodev): DATABASE_URL as written
        const saved = process.env.DATABASE_URL
        process.env.DATABASE_URL = `mysql://${user}:wrong@${base}/learner`
        try {
          const viaEnv = await failure(openDatabase(`mysql://${user}:wrong@${base}/ALX_prodev`))
          expect((viaEnv as Error).message).toBe(`access denied for ${user}@${config.host}: check the password in DATABASE_URL (DATABASE_URL=mysql://${user}:***@${base}/learner)`)
        } finally {
          if (saved === undefined) delete process.env.DATABASE_URL
          else process.env.DATABASE_URL = saved
        }
        await using ok = await openDatabase(`mysql://${user}:right-pass@${base}/`)
        const [rows] = (await ok.knex.raw('SELECT 1 AS one')) as [unknown[]]
        expect(rows).toEqual([{ one: 1 }])
      } finally {
        await admin.knex.raw(`DROP USER IF EXISTS '${user}'@'%'`)
        await admin.knex.raw(`DROP USER IF EXISTS '${user}'@'localhost'`)
      }
    })

    it('a URL without a database: NoDatabaseSelectedError on the first statement that needs one', async () => {
      await using db = await openDatabase(`mysql://${config.user}@${base}`)
      const err = await failure(migrateCourseSchema(db))
      expect(err).toBeInstanceOf(NoDatabaseSelectedError)
      expect((err as Error).message).toBe(`the URL names no database on MySQL at ${base}: add /<name> (url mysql://${config.user}@${base})`)
    })

    it('the same NoDatabaseSelectedError from a raw connection and from a stream, labelled DATABASE_URL when it came from there', async () => {
      const url = `mysql://${config.user}@${base}`
      const saved = process.env.DATABASE_URL
      process.env.DATABASE_URL = url
      try {
        await using db = await openDatabase()
        const expected = `the URL names no database on MySQL at ${base}: add /<name> (DATABASE_URL=${url})`
        const viaConn = await failure(
          (async () => {
            await using conn = await openConnection(db)
            await conn.query('SELECT * FROM user_data')
          })(),
        )
        expect(viaConn).toBeInstanceOf(NoDatabaseSelectedError)
        expect((viaConn as Error).message).toBe(expected)
        const viaStream = await failure(
          (async () => {
            for await (const row of streamRows(db, 'SELECT * FROM user_data')) void row
          })(),
        )
        expect(viaStream).toBeInstanceOf(NoDatabaseSelectedError)
        expect((viaStream as Error).message).toBe(expected)
        expect(db.poolStats().used).toBe(0)
      } finally {
        if (saved === undefined) delete process.env.DATABASE_URL
        else process.env.DATABASE_URL = saved
      }
    })

    it('a database that does not exist: MissingDatabaseError naming it', async () => {
      const name = `alx_missing_${process.pid}`
      const err = await failure(openDatabase(`mysql://${config.user}@${base}/${name}`))
      expect(err).toBeInstanceOf(MissingDatabaseError)
      expect((err as Error).message).toBe(
        `database "${name}" does not exist on MySQL at ${base}: create it (CREATE DATABASE \`${name}\`) or fix the name in the URL (url mysql://${config.user}@${base}/${name})`,
      )
    })

    it('sessions are strict: STRICT_ALL_TABLES is on', async () => {
      await using db = await openDatabase(serverUrl)
      const [[row]] = (await db.knex.raw('SELECT @@SESSION.sql_mode AS mode')) as [[{ mode: string }]]
      expect(row.mode.split(',')).toContain('STRICT_ALL_TABLES')
    })
  })
}
