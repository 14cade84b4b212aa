import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { DatabaseClosedError, InvalidDatabaseUrlError, assertOpen, defaultDatabaseUrl, logger, maskUrl, openDatabase, parseDatabaseUrl } from '@alx/db-core'
import type { Database, Dialect } from '@alx/db-core'
import { PooledConnection } from './pooled-connection'
import { acquireThread, releaseThread } from './thread-pool'
import { SqliteWorkerConnection } from './worker-connection'
import type { StatementOptions, WorkerConnectionOptions } from './worker-connection'

/** Which database to connect to: a db-core handle, or a URL; neither means `openDatabase()`'s default. */
export interface ConnectionTarget {
  /** An open db-core database: MySQL connections come from its pool; an SQLite file is opened again on a thread. */
  readonly db?: Database | undefined
  /**
   * A database URL (`sqlite:<path>`, `sqlite::memory:`, `mysql://user:pass@host:port/db`).
   * @default process.env.DATABASE_URL, else the embedded SQLite file
   */
  readonly url?: string | undefined
}

/** Options of `AsyncConnection.open`. */
export interface OpenConnectionOptions extends ConnectionTarget, WorkerConnectionOptions {
  /** Gives up before connecting when already aborted. */
  readonly signal?: AbortSignal | undefined
  /**
   * SQLite: take an idle thread already connected to the file, and keep this one for reuse when closed (for up to
   * 10 s), instead of starting and stopping a worker thread every time. `closeIdleThreads()` closes the idle ones.
   * @default true
   */
  readonly reuseThreads?: boolean | undefined
}

/**
 * How a connection runs its statements: `worker` — an SQLite file on a thread of its own (never blocks the event
 * loop); `pool` — a connection from a db-core pool (MySQL over the network, or SQLite `:memory:` in-thread).
 */
export type ConnectionMode = 'worker' | 'pool'

/** A connection opening or closing, for observing how many are open (tests, metrics). */
export interface ConnectionEvent {
  readonly type: 'open' | 'close'
  readonly id: number
  readonly mode: ConnectionMode
  /** Connections open right after this event. */
  readonly open: number
}

type Backend = SqliteWorkerConnection | PooledConnection

/** A statement starting or settling on a connection, for observing which statements overlap (tests, metrics). */
export interface StatementEvent {
  readonly type: 'start' | 'end'
  /** The `id` of the connection the statement runs on. */
  readonly connectionId: number
  readonly sql: string
  /** `performance.now()` when it happened. */
  readonly at: number
  /** On `end`: whether the statement failed (or was cancelled). */
  readonly failed?: boolean
}

const statementListeners = new Set<(event: StatementEvent) => void>()

/**
 * Subscribes to statements being issued (`start`) and settling (`end`) on any connection; returns the unsubscribe
 * function. Statements on one connection run one after another, so only statements on different connections overlap.
 * @example
 * const off = onStatement((e) => console.log(e.type, e.connectionId, e.sql))
 */
export function onStatement(listener: (event: StatementEvent) => void): () => void {
  statementListeners.add(listener)
  return () => void statementListeners.delete(listener)
}

function emitStatement(event: StatementEvent): void {
  for (const listener of statementListeners) {
    try {
      listener(event)
    } catch (err) {
      logger.warn({ err }, 'a statement listener threw')
    }
  }
}

const listeners = new Set<(event: ConnectionEvent) => void>()
let nextId = 1
let openCount = 0

function emit(event: ConnectionEvent): void {
  for (const listener of listeners) {
    try {
      listener(event)
    } catch (err) {
      logger.warn({ err }, 'a connection listener threw')
    }
  }
}

/**
 * Subscribes to connections opening and closing; returns the unsubscribe function.
 * @example
 * let peak = 0
 * const off = onConnection((e) => { peak = Math.max(peak, e.open) })
 */
export function onConnection(listener: (event: ConnectionEvent) => void): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

/** Normalizes `open()`'s first argument and rejects contradictory ones. */
export function toTarget<T extends ConnectionTarget>(target: string | T | undefined): T {
  if (target === undefined) return {} as T
  if (typeof target === 'string') return { url: target } as T
  if (typeof target !== 'object' || target === null) {
    throw new TypeError(`Expected a database URL or \`{ db }\` / \`{ url }\` options, got ${String(target)}.`)
  }
  if (target.db !== undefined && target.url !== undefined) {
    throw new TypeError(`Expected either \`db\` or \`url\`, not both (got url ${maskUrl(String(target.url))}).`)
  }
  return target
}

function openThread(filename: string, options: OpenConnectionOptions): Promise<SqliteWorkerConnection> {
  const settings: WorkerConnectionOptions = { busyTimeoutMs: options.busyTimeoutMs, batchSize: options.batchSize, cancelGraceMs: options.cancelGraceMs }
  return options.reuseThreads === false ? SqliteWorkerConnection.open(filename, settings) : acquireThread(filename, settings)
}

async function openBackend(target: ConnectionTarget, options: OpenConnectionOptions): Promise<Backend> {
  if (target.db) {
    assertOpen(target.db)
    const { config } = target.db
    if (config.dialect === 'sqlite' && config.filename !== ':memory:') return openThread(config.filename, options)
    const pooled = new PooledConnection(target.db, false)
    await pooled.acquire()
    return pooled
  }
  const url = target.url ?? defaultDatabaseUrl()
  const config = parseDatabaseUrl(url)
  if (config.dialect === 'postgres') throw new InvalidDatabaseUrlError(maskUrl(url), 'this module runs on SQLite and MySQL/MariaDB (use sqlite: or mysql://)')
  if (config.dialect === 'sqlite' && config.filename !== ':memory:') {
    // as openDatabase() does, so the default `<repo>/.data/alx.sqlite` works on a fresh checkout
    mkdirSync(path.dirname(config.filename), { recursive: true })
    return openThread(config.filename, options)
  }
  const db = await openDatabase(url, { pool: { max: 1 }, ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }) })
  const pooled = new PooledConnection(db, true)
  try {
    await pooled.acquire()
  } catch (err) {
    await db.close()
    throw err
  }
  return pooled
}

/**
 * The module's async database driver (what aiosqlite is to Python), provided working to every task: one connection,
 * closed exactly once by `close()` or `await using`. Statements autocommit (no transaction of its own: Task 0's
 * `DatabaseConnection` adds one). An SQLite file is opened on a worker thread of its own, so queries never block the
 * event loop and two connections really run at the same time; MySQL connections come from a db-core pool.
 * @example
 * await using conn = await AsyncConnection.open('sqlite:./users.db')
 * console.log(await conn.query('SELECT * FROM users'))
 */
export class AsyncConnection implements AsyncDisposable {
  /** A process-unique number, for logs and for telling connections apart in tests. */
  readonly id: number
  readonly dialect: Dialect
  readonly mode: ConnectionMode
  readonly #backend: Backend
  readonly #reuseThread: boolean
  #closing: Promise<void> | undefined

  private constructor(backend: Backend, reuseThread: boolean) {
    this.id = nextId++
    this.#backend = backend
    this.#reuseThread = reuseThread
    this.mode = backend instanceof SqliteWorkerConnection ? 'worker' : 'pool'
    this.dialect = backend instanceof SqliteWorkerConnection ? 'sqlite' : backend.dialect
  }

  /**
   * Opens a connection to `target` (a URL, `{ db }` or `{ url }`; default `DATABASE_URL`, else the embedded SQLite file).
   * @throws {TypeError} when both `db` and `url` are given.
   * @example
   * await using conn = await AsyncConnection.open({ db })
   */
  static async open(target?: string | OpenConnectionOptions): Promise<AsyncConnection> {
    const options = toTarget(target)
    options.signal?.throwIfAborted()
    const backend = await openBackend(options, options)
    const conn = new AsyncConnection(backend, options.reuseThreads !== false)
    openCount++
    emit({ type: 'open', id: conn.id, mode: conn.mode, open: openCount })
    return conn
  }

  /**
   * How many connections this module has open right now (a leak shows as a non-zero count after the work is done).
   * @example
   * expect(AsyncConnection.openCount).toBe(0)
   */
  static get openCount(): number {
    return openCount
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined
  }

  /**
   * Runs one statement with bound parameters (`?` placeholders; values are never spliced into the SQL): the rows of
   * a query, or `[{ affectedRows, insertId }]` for a write. Cancel it with `signal`: it rejects with `signal.reason`
   * once the statement has stopped and the connection is free again.
   * @example
   * const adults = await conn.query<UsersRow>('SELECT * FROM users WHERE age > ?', [25])
   */
  query<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): Promise<TRow[]> {
    try {
      assertStatement(sql, params)
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
    if (this.closed) return Promise.reject(new DatabaseClosedError(`Connection #${this.id} is closed; open a new one with AsyncConnection.open()`))
    emitStatement({ type: 'start', connectionId: this.id, sql, at: performance.now() })
    return this.#backend.query<TRow>(sql, params, options).then(
      (rows) => {
        emitStatement({ type: 'end', connectionId: this.id, sql, at: performance.now(), failed: false })
        return rows
      },
      (err: unknown) => {
        emitStatement({ type: 'end', connectionId: this.id, sql, at: performance.now(), failed: true })
        throw err
      },
    )
  }

  /**
   * Streams the rows of a query instead of collecting them: an SQLite thread runs at most two batches ahead of the
   * reader, MySQL's socket pauses when the reader falls behind. Leaving the loop early stops the statement.
   * @example
   * for await (const row of conn.stream<UserDataRow>('SELECT * FROM user_data WHERE age > ?', [25])) console.log(row.email)
   */
  stream<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): AsyncGenerator<TRow, void, undefined> {
    assertStatement(sql, params)
    if (this.closed) throw new DatabaseClosedError(`Connection #${this.id} is closed; open a new one with AsyncConnection.open()`)
    return this.#backend.stream<TRow>(sql, params, options)
  }

  /**
   * Closes the connection; the first call does the work and later calls return the same promise.
   * @example
   * await conn.close(); await conn.close() // closes once
   */
  close(): Promise<void> {
    this.#closing ??= this.#release().finally(() => {
      openCount--
      emit({ type: 'close', id: this.id, mode: this.mode, open: openCount })
    })
    return this.#closing
  }

  #release(): Promise<void> {
    const backend = this.#backend
    // a reusable SQLite thread goes back to the idle set once its statements settle; anything else is closed
    return backend instanceof SqliteWorkerConnection && this.#reuseThread ? releaseThread(backend) : backend.close()
  }

  /** Same as `close()`: what `await using` calls when the block exits. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

/**
 * Throws a `TypeError` naming the bad value unless `sql` is a non-empty string and `params` an array.
 * @example
 * assertStatement('SELECT * FROM users WHERE age > ?', [25])
 */
export function assertStatement(sql: unknown, params: unknown): asserts params is readonly unknown[] {
  if (typeof sql !== 'string' || sql.trim() === '') throw new TypeError(`Expected \`sql\` to be a non-empty string, got ${JSON.stringify(sql) ?? String(sql)}.`)
  if (!Array.isArray(params)) {
    throw new TypeError(`Expected \`params\` to be an array of values bound to the ? placeholders, got ${JSON.stringify(params) ?? String(params)}.`)
  }
}
