import { mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import knex from 'knex'
import type { Knex } from 'knex'
import { classifyDatabaseError, describeServer, rememberClassifyOptions } from './classify'
import type { ClassifyOptions } from './classify'
import { destroyMysqlConnection, destroyPostgresConnection, runForcedCloseHooks } from './close-hooks'
import { DatabaseClosedError, DatabaseFileError } from './errors'
import { logger } from './logger'
import { postgresTypes } from './postgres'
import { sqliteDriver } from './sqlite-driver'
import { defaultDatabaseUrl, parseDatabaseUrl } from './url'
import type { Dialect, DatabaseConfig, AnyDialect } from './url'

/** A PostgreSQL URL as a literal type: `openDatabase('postgres://…')` is typed `Database<'postgres'>`. */
export type PostgresUrl = `postgres://${string}` | `postgresql://${string}`

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /**
   * Connection pool bounds.
   * @default { min: 0, max: 4 } for an SQLite file, { min: 0, max: 1 } for `:memory:`, { min: 0, max: 10 } for MySQL and PostgreSQL
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
   * How long a new MySQL or PostgreSQL connection may take (TCP connect and handshake) before it fails with
   * `DatabaseTimeoutError`, in milliseconds: a port that accepts and never answers fails in this time.
   * @default 4000
   */
  readonly connectTimeoutMs?: number
  /**
   * How long `close()` waits for connections still checked out (a query running, a stream being read) before
   * it ends them itself: open cursors are ended, MySQL sockets destroyed, and a warning names how many. Without
   * it, a generator dropped half-way (never finished, `return()` never called) would keep `close()` waiting
   * forever. In milliseconds.
   * @default 5000
   */
  readonly closeTimeoutMs?: number
}

/**
 * A database of any dialect, PostgreSQL included: what every function of this package accepts.
 * @example
 * function describe(db: AnyDatabase): string { return db.dialect === 'postgres' ? 'PostgreSQL' : db.dialect }
 */
export type AnyDatabase = Database<AnyDialect>

/** Pool occupancy: `used` connections are checked out; a leak shows as `used > 0` after work is done. */
export interface PoolStats {
  readonly used: number
  readonly free: number
  readonly pending: number
}

/**
 * An open database: knex for queries, the dialect, pool statistics, and `await using` disposal.
 * `Database` without a type argument is typed for SQLite and MySQL, as every module written before PostgreSQL
 * expects (`Record<Database['dialect'], …>`); code that runs on PostgreSQL too takes `AnyDatabase` and
 * branches on `db.dialect`.
 * @example
 * await using db = await openDatabase('sqlite::memory:')
 * const rows = await db.knex('users').select('*')
 */
export interface Database<D extends AnyDialect = Dialect> extends AsyncDisposable {
  /** The knex instance (query builder, migrations, transactions). */
  readonly knex: Knex
  readonly dialect: D
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

class KnexDatabase implements Database<AnyDialect> {
  readonly knex: Knex
  readonly dialect: AnyDialect
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
      if (this.dialect === 'postgres') destroyPostgresConnection(resource)
      pool.release(resource)
    }
    await destroyed
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

// knex prints its own warnings with console.*; route them through the structured logger instead. Its
// "Acquire connection error: <stack>" repeats a connect failure the caller gets as a typed error anyway: debug.
const log = {
  warn: (message: unknown) => {
    const text = String(message)
    if (text.startsWith('Acquire connection error')) logger.debug({ knex: true }, text)
    else logger.warn({ knex: true }, text)
  },
  error: (message: unknown) => logger.error({ knex: true }, String(message)),
  deprecate: (message: unknown) => logger.warn({ knex: true, deprecation: true }, String(message)),
  debug: (message: unknown) => logger.debug({ knex: true }, String(message)),
}

/**
 * Creates `dir` and its missing parents one level at a time. `mkdirSync(dir, { recursive: true })` loops forever
 * on some paths (`/proc/x`: mkdir says ENOENT, its parent exists, so it tries again).
 */
function ensureDirectory(dir: string, config: DatabaseConfig, fromEnv: boolean): void {
  const missing: string[] = []
  let current = dir
  for (;;) {
    let isDirectory: boolean | undefined
    try {
      isDirectory = statSync(current).isDirectory()
    } catch {
      // missing (or unreadable: mkdir below says which)
    }
    if (isDirectory === true) break
    const tail = fromEnv ? `(DATABASE_URL=${config.url})` : `(url ${config.url})`
    if (isDirectory === false) {
      throw new DatabaseFileError(`cannot open ${describeServer(config)}: ${current} is a file, not a folder — use another path ${tail}`, { server: describeServer(config), url: config.url })
    }
    missing.unshift(current)
    const parent = path.dirname(current)
    if (parent === current) break
    current = parent
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder)
    } catch (cause) {
      const code = (cause as { code?: unknown }).code
      if (code === 'EEXIST') continue
      const tail = fromEnv ? `(DATABASE_URL=${config.url})` : `(url ${config.url})`
      throw new DatabaseFileError(
        `cannot open ${describeServer(config)}: cannot create the folder ${folder} (${typeof code === 'string' ? code : String(cause)}) — use a path in a folder you can write ${tail}`,
        { server: describeServer(config), url: config.url, cause },
      )
    }
  }
}

// knex's better-sqlite3 dialect, handed the driver this Node.js needs (see `sqliteDriver`) instead of the
// package named `better-sqlite3`. Its `dialect` stays 'sqlite3' and `driverName` 'better-sqlite3'.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- knex ships no types for its dialect classes
const KnexBetterSqlite3 = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => KnexClientInternals
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const KnexMysql2 = require('knex/lib/dialects/mysql2') as new (config: Knex.Config) => KnexClientInternals
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const KnexPostgres = require('knex/lib/dialects/postgres') as new (config: Knex.Config) => KnexClientInternals

/** The methods of a knex client that connection errors (and pool checks) pass through. */
interface KnexClientInternals {
  acquireRawConnection(): Promise<unknown>
  query(connection: unknown, query: unknown): Promise<unknown>
  validateConnection(connection: unknown): boolean
}

/**
 * Knex clients that turn connect failures (and a statement's "no database selected") into the typed errors of
 * `classifyDatabaseError`, so every caller — a query, a transaction, a stream — gets the same message.
 */
function clientClasses(config: DatabaseConfig, classify: ClassifyOptions): { sqlite: typeof Knex.Client; mysql: typeof Knex.Client; postgres: typeof Knex.Client } {
  const atConnect = (err: unknown): unknown => classifyDatabaseError(err, config, { ...classify, atConnect: true }) ?? err
  class SqliteClient extends KnexBetterSqlite3 {
    _driver(): unknown {
      return sqliteDriver()
    }
    override acquireRawConnection(): Promise<unknown> {
      return super.acquireRawConnection().catch((err: unknown) => Promise.reject(atConnect(err) as Error))
    }
  }
  class MysqlClient extends KnexMysql2 {
    override acquireRawConnection(): Promise<unknown> {
      return super.acquireRawConnection().catch((err: unknown) => Promise.reject(atConnect(err) as Error))
    }
    override query(connection: unknown, query: unknown): Promise<unknown> {
      return super.query(connection, query).catch((err: unknown) => {
        const code = (err as { code?: unknown }).code
        const typed = code === 'ER_NO_DB_ERROR' || code === 'ER_BAD_DB_ERROR' ? classifyDatabaseError(err, config, classify) : undefined
        return Promise.reject(typed ?? (err as Error))
      })
    }
  }
  class PostgresClient extends KnexPostgres {
    override acquireRawConnection(): Promise<unknown> {
      return super.acquireRawConnection().catch((err: unknown) => Promise.reject(atConnect(err) as Error))
    }
    // knex's pg dialect hands out a client again after its socket died or it was destroyed; check first
    override validateConnection(connection: unknown): boolean {
      const client = connection as { __knex__disposed?: unknown; _ending?: unknown; _queryable?: unknown }
      return !client.__knex__disposed && client._ending !== true && client._queryable !== false
    }
  }
  return {
    sqlite: SqliteClient as unknown as typeof Knex.Client,
    mysql: MysqlClient as unknown as typeof Knex.Client,
    postgres: PostgresClient as unknown as typeof Knex.Client,
  }
}

interface MysqlRaw {
  query(sql: string, cb: (err: Error | null) => void): void
}

// Strict on every table, so a value that does not fit fails on MariaDB as it does in our validation, never
// silently truncated (the server default has STRICT_TRANS_TABLES only; a server may have neither).
const STRICT_SQL_MODE = "SET SESSION sql_mode = IF(@@SESSION.sql_mode = '', 'STRICT_ALL_TABLES', CONCAT(@@SESSION.sql_mode, ',STRICT_ALL_TABLES'))"

function postgresSsl(mode: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full'): boolean | { rejectUnauthorized: boolean } {
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false
  // libpq's `require` encrypts without checking the certificate; `verify-*` check it
  return mode === 'require' ? { rejectUnauthorized: false } : { rejectUnauthorized: true }
}

function knexConfig(config: DatabaseConfig, options: OpenDatabaseOptions, classify: ClassifyOptions & { readonly fromEnv: boolean }): Knex.Config {
  const acquireConnectionTimeout = options.acquireTimeoutMs ?? 30_000
  const clients = clientClasses(config, classify)
  if (config.dialect === 'sqlite') {
    const memory = config.filename === ':memory:'
    if (!memory) ensureDirectory(path.dirname(config.filename), config, classify.fromEnv)
    const busyTimeout = options.busyTimeoutMs ?? 5000
    return {
      client: clients.sqlite,
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
  if (config.dialect === 'postgres') {
    return {
      client: clients.postgres,
      connection: {
        host: config.host,
        port: config.port,
        user: config.user,
        password: config.password,
        // as libpq: without a database in the URL, the one named like the user
        database: config.database ?? config.user,
        ssl: postgresSsl(config.sslmode),
        ...(config.applicationName === undefined ? {} : { application_name: config.applicationName }),
        connectionTimeoutMillis: classify.connectTimeoutMs,
        // NUMERIC (the course's `age`) and BIGINT (COUNT(*)) as numbers, as mysql2 gives them here
        types: postgresTypes,
      },
      acquireConnectionTimeout,
      log,
      pool: { min: options.pool?.min ?? 0, max: options.pool?.max ?? 10 },
    }
  }
  return {
    client: clients.mysql,
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
      connectTimeout: classify.connectTimeoutMs,
    },
    acquireConnectionTimeout,
    log,
    pool: {
      min: options.pool?.min ?? 0,
      max: options.pool?.max ?? 10,
      afterCreate(conn: MysqlRaw, done: (err: Error | null, conn: MysqlRaw) => void) {
        conn.query(STRICT_SQL_MODE, (err) => done(err, conn))
      },
    },
  }
}

/**
 * Opens a database by URL: without one, `DATABASE_URL`, else the embedded SQLite file `<repo>/.data/alx.sqlite`.
 * `sqlite:<path>` and `sqlite::memory:` use better-sqlite3; `mysql://user:pass@host:port/db` uses mysql2;
 * `postgres://user:pass@host:port/db` uses node-postgres (`pg`). Connections are made lazily; a MySQL or
 * PostgreSQL URL is checked by connecting once so a wrong host fails here. MySQL sessions run in strict mode
 * (`STRICT_ALL_TABLES` added to the server's `sql_mode`).
 * @throws {InvalidDatabaseUrlError} for a URL that cannot be parsed (password masked in the message).
 * @throws {DatabaseConnectionError} one of `DatabaseUnreachableError`, `DatabaseTimeoutError`,
 * `DatabaseAuthError`, `MissingDatabaseError`, `DatabaseFileError`: one line naming the server, the cause and
 * the fix (see `classifyDatabaseError`).
 * @example
 * await using db = await openDatabase('sqlite::memory:')
 * await db.knex.schema.createTable('t', (t) => t.increments('id'))
 */
export async function openDatabase(url: PostgresUrl, options?: OpenDatabaseOptions): Promise<Database<'postgres'>>
export async function openDatabase<D extends AnyDialect = Dialect>(url?: string, options?: OpenDatabaseOptions): Promise<Database<D>>
export async function openDatabase(url?: string, options: OpenDatabaseOptions = {}): Promise<AnyDatabase> {
  const config = parseDatabaseUrl(url ?? defaultDatabaseUrl())
  const closeTimeoutMs = milliseconds('closeTimeoutMs', options.closeTimeoutMs ?? 5000)
  const connectTimeoutMs = milliseconds('connectTimeoutMs', options.connectTimeoutMs ?? 4000)
  const classify = { ...urlOrigin(url, config), connectTimeoutMs }
  const db = new KnexDatabase(config, knex(knexConfig(config, options, classify)), closeTimeoutMs)
  rememberClassifyOptions(db, classify)
  if (config.dialect !== 'sqlite') {
    try {
      await db.knex.raw('SELECT 1')
    } catch (err) {
      await db.close()
      throw classifyDatabaseError(err, config, { ...classify, atConnect: true }) ?? err
    }
  }
  return db
}

/**
 * Whether the URL is `DATABASE_URL`'s, for error messages: the same text, or the same MySQL or PostgreSQL server and
 * credentials (a module that opens its own database on the server `DATABASE_URL` names, as generators-0x00
 * does with `ALX_prodev`); then messages show `DATABASE_URL` as written.
 */
function urlOrigin(url: string | undefined, config: DatabaseConfig): { fromEnv: boolean; shownUrl?: string } {
  const envUrl = process.env.DATABASE_URL?.trim()
  if (envUrl === undefined || envUrl === '') return { fromEnv: false }
  if (url === undefined || url.trim() === envUrl) return { fromEnv: true }
  if (config.dialect === 'sqlite') return { fromEnv: false }
  let env: DatabaseConfig
  try {
    env = parseDatabaseUrl(envUrl)
  } catch {
    return { fromEnv: false }
  }
  const same = env.dialect !== 'sqlite' && env.dialect === config.dialect && env.host === config.host && env.port === config.port && env.user === config.user && env.password === config.password
  return same ? { fromEnv: true, shownUrl: env.url } : { fromEnv: false }
}

function milliseconds(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value)
    throw new TypeError(`Expected \`${name}\` to be a non-negative number of milliseconds, got ${shown}.`)
  }
  return value
}

/** Throws `DatabaseClosedError` when the handle was closed. @example assertOpen(db) */
export function assertOpen(db: AnyDatabase): void {
  if (db.closed) throw new DatabaseClosedError(`Database ${db.url} is closed`)
}
