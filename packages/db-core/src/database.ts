import { mkdirSync } from 'node:fs'
import path from 'node:path'
import knex from 'knex'
import type { Knex } from 'knex'
import { destroyMysqlConnection, runForcedCloseHooks } from './close-hooks'
import { DatabaseClosedError } from './errors'
import { logger } from './logger'
import { sqliteDriver } from './sqlite-driver'
import { defaultDatabaseUrl, parseDatabaseUrl } from './url'
import type { DatabaseConfig, Dialect } from './url'

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /**
   * Connection pool bounds.
   * @default { min: 0, max: 4 } for an SQLite file, { min: 0, max: 1 } for `:memory:`, { min: 0, max: 10 } for MySQL
   */
  readonly pool?: { readonly min?: number; readonly max?: number }
  /**
   * How long SQLite waits on a locked database before failing with SQLITE_BUSY, in milliseconds.
   * @default 5000
   */
  readonly busyTimeoutMs?: number
  /**
   * How long to wait for a free pooled connection, in milliseconds.
   * @default 30000
   */
  readonly acquireTimeoutMs?: number
  /**
   * How long `close()` waits for connections still checked out (a query running, a stream being read) before
   * it ends them itself: open cursors are ended, MySQL sockets destroyed, and a warning names how many. Without
   * it, a generator dropped half-way (never finished, `return()` never called) would keep `close()` waiting
   * forever. In milliseconds.
   * @default 5000
   */
  readonly closeTimeoutMs?: number
}

/** Pool occupancy: `used` connections are checked out; a leak shows as `used > 0` after work is done. */
export interface PoolStats {
  readonly used: number
  readonly free: number
  readonly pending: number
}

/**
 * An open database: knex for queries, the dialect, pool statistics, and `await using` disposal.
 * @example
 * await using db = await openDatabase('sqlite::memory:')
 * const rows = await db.knex('users').select('*')
 */
export interface Database extends AsyncDisposable {
  /** The knex instance (query builder, migrations, transactions). */
  readonly knex: Knex
  readonly dialect: Dialect
  /** The URL it was opened with, password masked. */
  readonly url: string
  readonly config: DatabaseConfig
  readonly closed: boolean
  /** Current pool occupancy. */
  poolStats(): PoolStats
  /**
   * Closes every pooled connection; safe to call twice. Connections still checked out are waited for up to
   * `closeTimeoutMs`, then taken back by force (their cursors ended, MySQL sockets destroyed).
   */
  close(): Promise<void>
}

interface TarnPool {
  numUsed(): number
  numFree(): number
  numPendingAcquires(): number
  numPendingCreates(): number
}

/** The slice of tarn's pool that a forced close needs. */
interface TarnUsed {
  readonly used: ReadonlyArray<{ readonly resource: object }>
  release(resource: object): boolean
}

interface SqliteRaw {
  pragma(source: string): unknown
}

class KnexDatabase implements Database {
  readonly knex: Knex
  readonly dialect: Dialect
  readonly url: string
  readonly config: DatabaseConfig
  #closed = false
  #closing: Promise<void> | undefined
  readonly #closeTimeoutMs: number

  constructor(config: DatabaseConfig, instance: Knex, closeTimeoutMs: number) {
    this.config = config
    this.dialect = config.dialect
    this.url = config.url
    this.knex = instance
    this.#closeTimeoutMs = closeTimeoutMs
  }

  get closed(): boolean {
    return this.#closed
  }

  poolStats(): PoolStats {
    const pool = (this.knex.client as { pool?: TarnPool }).pool
    if (!pool) return { used: 0, free: 0, pending: 0 }
    return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() + pool.numPendingCreates() }
  }

  close(): Promise<void> {
    this.#closed = true
    this.#closing ??= this.#shutdown()
    return this.#closing
  }

  async #shutdown(): Promise<void> {
    const pool = (this.knex.client as { pool?: TarnPool & TarnUsed }).pool
    const destroyed = this.knex.destroy()
    if (pool === undefined || pool.numUsed() === 0) return destroyed
    let timer: NodeJS.Timeout | undefined
    const graceOver = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, this.#closeTimeoutMs, true)))
    const forced = await Promise.race([destroyed.then(() => false), graceOver])
    clearTimeout(timer)
    if (!forced) return
    const held = [...pool.used]
    logger.warn(
      { url: this.url, connections: held.length, closeTimeoutMs: this.#closeTimeoutMs },
      'close(): connections still checked out after the grace period (a stream or generator never finished, or a connection never released): ending them',
    )
    for (const { resource } of held) {
      runForcedCloseHooks(resource)
      // a hard close: mysql2's end() would wait behind a paused row stream
      if (this.dialect === 'mysql') destroyMysqlConnection(resource as { destroy(): void })
      pool.release(resource)
    }
    await destroyed
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

// knex prints its own warnings with console.*; route them through the structured logger instead.
const log = {
  warn: (message: unknown) => logger.warn({ knex: true }, String(message)),
  error: (message: unknown) => logger.error({ knex: true }, String(message)),
  deprecate: (message: unknown) => logger.warn({ knex: true, deprecation: true }, String(message)),
  debug: (message: unknown) => logger.debug({ knex: true }, String(message)),
}

// knex's better-sqlite3 dialect, handed the driver this Node.js needs (see `sqliteDriver`) instead of the
// package named `better-sqlite3`. Its `dialect` stays 'sqlite3' and `driverName` 'better-sqlite3'.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- knex ships no types for its dialect classes
const KnexBetterSqlite3 = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => object
class SqliteClient extends KnexBetterSqlite3 {
  _driver(): unknown {
    return sqliteDriver()
  }
}

function knexConfig(config: DatabaseConfig, options: OpenDatabaseOptions): Knex.Config {
  const acquireConnectionTimeout = options.acquireTimeoutMs ?? 30_000
  if (config.dialect === 'sqlite') {
    const memory = config.filename === ':memory:'
    if (!memory) mkdirSync(path.dirname(config.filename), { recursive: true })
    const busyTimeout = options.busyTimeoutMs ?? 5000
    return {
      client: SqliteClient as unknown as typeof Knex.Client,
      connection: { filename: config.filename },
      useNullAsDefault: true,
      acquireConnectionTimeout,
      log,
      pool: {
        min: options.pool?.min ?? 0,
        // every :memory: connection is its own database, so it can have only one
        max: memory ? 1 : (options.pool?.max ?? 4),
        afterCreate(conn: SqliteRaw, done: (err: Error | null, conn: SqliteRaw) => void) {
          try {
            if (!memory) conn.pragma('journal_mode = WAL')
            conn.pragma('synchronous = NORMAL')
            conn.pragma('foreign_keys = ON')
            conn.pragma(`busy_timeout = ${busyTimeout}`)
            done(null, conn)
          } catch (err) {
            done(err as Error, conn)
          }
        },
      },
    }
  }
  return {
    client: 'mysql2',
    connection: {
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      ...(config.database ? { database: config.database } : {}),
      // DECIMAL columns (the course's `age`) come back as numbers, as Python's connector gives Decimal → int
      decimalNumbers: true,
      supportBigNumbers: true,
      charset: 'utf8mb4',
      multipleStatements: false,
    },
    acquireConnectionTimeout,
    log,
    pool: { min: options.pool?.min ?? 0, max: options.pool?.max ?? 10 },
  }
}

/**
 * Opens a database by URL: without one, `DATABASE_URL`, else the embedded SQLite file `<repo>/.data/alx.sqlite`.
 * `sqlite:<path>` and `sqlite::memory:` use better-sqlite3; `mysql://user:pass@host:port/db` uses mysql2.
 * Connections are made lazily; a MySQL URL is checked by connecting once so a wrong host fails here.
 * @throws {InvalidDatabaseUrlError} for a URL that cannot be parsed (password masked in the message).
 * @example
 * await using db = await openDatabase('sqlite::memory:')
 * await db.knex.schema.createTable('t', (t) => t.increments('id'))
 */
export async function openDatabase(url: string = defaultDatabaseUrl(), options: OpenDatabaseOptions = {}): Promise<Database> {
  const config = parseDatabaseUrl(url)
  const closeTimeoutMs: unknown = options.closeTimeoutMs ?? 5000
  if (typeof closeTimeoutMs !== 'number' || !Number.isFinite(closeTimeoutMs) || closeTimeoutMs < 0) {
    const shown = typeof closeTimeoutMs === 'string' ? JSON.stringify(closeTimeoutMs) : String(closeTimeoutMs)
    throw new TypeError(`Expected \`closeTimeoutMs\` to be a non-negative number of milliseconds, got ${shown}.`)
  }
  const db = new KnexDatabase(config, knex(knexConfig(config, options)), closeTimeoutMs)
  if (config.dialect === 'mysql') {
    try {
      await db.knex.raw('SELECT 1')
    } catch (err) {
      await db.close()
      throw err
    }
  }
  return db
}

/** Throws `DatabaseClosedError` when the handle was closed. @example assertOpen(db) */
export function assertOpen(db: Database): void {
  if (db.closed) throw new DatabaseClosedError(`Database ${db.url} is closed`)
}
