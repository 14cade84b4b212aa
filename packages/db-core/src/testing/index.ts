import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase } from '../database'
import type { AnyDatabase, Database, OpenDatabaseOptions } from '../database'
import { parseDatabaseUrl } from '../url'
import type { Dialect, AnyDialect } from '../url'

/** The dialects `testDialects()` gives: every one but PostgreSQL, which a module opts in to. */
export type DefaultTestDialect = Dialect

/**
 * The dialects integration tests run on: SQLite always, MySQL/MariaDB when `MYSQL_URL` is set. Never
 * PostgreSQL: a module opts in with `testDialectsWithPostgres()`.
 * @example
 * describe.each(testDialects())('streamRows on %s', (dialect) => { … })
 */
export function testDialects(env: NodeJS.ProcessEnv = process.env): DefaultTestDialect[] {
  return env.MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite']
}

/**
 * `testDialects()` plus PostgreSQL when `PG_URL` is set: for a module whose code runs on PostgreSQL too.
 * @example
 * describe.each(testDialectsWithPostgres())('streamRows on %s', (dialect) => { … })
 */
export function testDialectsWithPostgres(env: NodeJS.ProcessEnv = process.env): AnyDialect[] {
  return env.PG_URL ? [...testDialects(env), 'postgres'] : testDialects(env)
}

/** A database of its own for one test file: dropped (MySQL, PostgreSQL) or deleted (SQLite) when disposed. */
export interface TestDatabase<D extends AnyDialect = Dialect> extends Database<D> {
  /** A URL that opens the same database again (for a second handle, e.g. to make lock contention). */
  readonly rawUrl: string
}

/**
 * Creates a fresh, empty database for a test: a temp SQLite file, or a uniquely named database on the
 * `MYSQL_URL` or `PG_URL` server (so packages tested in parallel never share tables). Dispose it to clean up.
 * PostgreSQL databases are made from `template0` with the `C` collation (byte order, as SQLite and MySQL's
 * `utf8mb4_bin`), and dropped `WITH (FORCE)`.
 * @example
 * await using db = await createTestDb('mysql')
 */
export async function createTestDb(dialect: 'postgres', options?: OpenDatabaseOptions): Promise<TestDatabase<'postgres'>>
export async function createTestDb(dialect?: Dialect, options?: OpenDatabaseOptions): Promise<TestDatabase>
export async function createTestDb(dialect: AnyDialect, options?: OpenDatabaseOptions): Promise<TestDatabase<AnyDialect>>
export async function createTestDb(dialect: AnyDialect = 'sqlite', options: OpenDatabaseOptions = {}): Promise<TestDatabase<AnyDialect>> {
  let rawUrl: string
  let cleanup: () => Promise<void>
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-test-'))
    rawUrl = `sqlite:${path.join(dir, 'test.sqlite')}`
    cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }))
  } else if (dialect === 'postgres') {
    const serverUrl = process.env.PG_URL
    if (!serverUrl) throw new Error('createTestDb("postgres") needs PG_URL, e.g. postgres://postgres@127.0.0.1:5432/test')
    const config = parseDatabaseUrl(serverUrl)
    if (config.dialect !== 'postgres') throw new Error(`PG_URL must be a postgres:// URL, got ${config.url}`)
    const name = `alx_t_${process.pid}_${randomBytes(4).toString('hex')}`
    const server = await openDatabase(serverUrl, { pool: { max: 1 } })
    try {
      await server.knex.raw(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`)
    } finally {
      await server.close()
    }
    const url = new URL(serverUrl)
    url.pathname = `/${name}`
    rawUrl = url.toString()
    cleanup = async () => {
      const admin = await openDatabase(serverUrl, { pool: { max: 1 } })
      try {
        await admin.knex.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await admin.close()
      }
    }
  } else {
    const serverUrl = process.env.MYSQL_URL
    if (!serverUrl) throw new Error('createTestDb("mysql") needs MYSQL_URL, e.g. mysql://root@127.0.0.1:3306/test')
    const config = parseDatabaseUrl(serverUrl)
    if (config.dialect !== 'mysql') throw new Error(`MYSQL_URL must be a mysql:// URL, got ${config.url}`)
    const name = `alx_t_${process.pid}_${randomBytes(4).toString('hex')}`
    const server = await openDatabase(serverUrl, { pool: { max: 1 } })
    try {
      await server.knex.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
    } finally {
      await server.close()
    }
    const auth = config.password ? `${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}` : encodeURIComponent(config.user)
    rawUrl = `mysql://${auth}@${config.host}:${config.port}/${name}`
    cleanup = async () => {
      const admin = await openDatabase(serverUrl, { pool: { max: 1 } })
      try {
        await admin.knex.raw(`DROP DATABASE IF EXISTS \`${name}\``)
      } finally {
        await admin.close()
      }
    }
  }
  const db: AnyDatabase = await openDatabase<AnyDialect>(rawUrl, options)
  let disposed: Promise<void> | undefined
  const close = (): Promise<void> => {
    disposed ??= db.close().then(cleanup)
    return disposed
  }
  return {
    knex: db.knex,
    dialect: db.dialect,
    url: db.url,
    config: db.config,
    rawUrl,
    get closed() {
      return db.closed
    },
    poolStats: () => db.poolStats(),
    close,
    [Symbol.asyncDispose]: close,
  }
}
