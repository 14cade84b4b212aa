import { logger, openConnection, openDatabase } from '@alx/db-core'
import type { Connection, Database, DatabaseConfig, Dialect, SqliteDriverConnection } from '@alx/db-core'
import type { StatementOptions } from './worker-connection'

/** The mysql2 callback connection under knex, as far as it is used here. */
interface MysqlRaw {
  readonly threadId: number | null
  query(sql: string, cb: (err: Error | null, rows: unknown) => void): unknown
  query(sql: string, values: unknown[]): { stream(options?: { highWaterMark?: number }): NodeJS.ReadableStream & AsyncIterable<unknown> }
  execute(sql: string, values: unknown[], cb: (err: Error | null, rows: unknown) => void): unknown
}

const noop = (): void => undefined

function runMysql<TRow>(raw: MysqlRaw, sql: string, params: readonly unknown[]): Promise<TRow[]> {
  return new Promise<TRow[]>((resolve, reject) => {
    const done = (err: Error | null, rows: unknown): void => {
      if (err) reject(err)
      else resolve(Array.isArray(rows) ? (rows as TRow[]) : [rows as TRow])
    }
    // a server-side prepared statement: values are bound by the server, never spliced into the SQL, and a
    // placeholder without a value is an error; plain SQL without placeholders skips the prepare round trip
    if (params.length === 0 && !sql.includes('?')) raw.query(sql, done)
    else raw.execute(sql, [...params], done)
  })
}

function adminUrl(config: Extract<DatabaseConfig, { dialect: 'mysql' }>): string {
  const auth = config.password ? `${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}` : encodeURIComponent(config.user)
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  return `mysql://${auth}@${host}:${config.port}/`
}

/**
 * Stops the statement running on MySQL connection `threadId` from a separate connection (`KILL QUERY`), the way
 * the mysql client's Ctrl-C does; the connection itself stays up.
 */
async function killQuery(config: Extract<DatabaseConfig, { dialect: 'mysql' }>, threadId: number): Promise<void> {
  await using admin = await openDatabase(adminUrl(config), { pool: { max: 1 }, acquireTimeoutMs: 5000 })
  // threadId is an integer from the driver (checked by the caller), and KILL takes no placeholders
  await admin.knex.raw(`KILL QUERY ${threadId}`)
}

/**
 * A connection checked out of a db-core pool (MySQL/MariaDB, or SQLite `:memory:` which cannot be shared with a
 * thread). MySQL statements are network I/O, so they never block the event loop; a cancelled one is killed on
 * the server and its connection discarded.
 */
export class PooledConnection {
  readonly db: Database
  readonly #ownsDb: boolean
  #conn: Connection | undefined
  #queue: Promise<void> = Promise.resolve()
  readonly #streams = new Set<AsyncGenerator<unknown, void, undefined>>()
  #closing: Promise<void> | undefined

  constructor(db: Database, ownsDb: boolean) {
    this.db = db
    this.#ownsDb = ownsDb
  }

  get dialect(): Dialect {
    return this.db.dialect
  }

  /** Checks the connection out now rather than on the first statement, so `open` fails on a saturated or closed pool. */
  async acquire(): Promise<void> {
    this.#conn ??= await openConnection(this.db)
  }

  /** Waits for this connection's turn: statements (and streams, while they are read) run one at a time. */
  #turn(): { ready: Promise<void>; release: () => void } {
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const ready = this.#queue
    this.#queue = ready.then(() => mine)
    return { ready, release }
  }

  query<TRow>(sql: string, params: readonly unknown[], options: StatementOptions = {}): Promise<TRow[]> {
    const { ready, release } = this.#turn()
    return ready.then(() => this.#run<TRow>(sql, params, options.signal)).finally(release)
  }

  /**
   * Streams rows: mysql2's row stream (its socket pauses when the reader falls behind), or better-sqlite3's cursor for
   * SQLite `:memory:`. Leaving early, or aborting, kills the statement on the server and drops the connection.
   */
  stream<TRow>(sql: string, params: readonly unknown[], options: StatementOptions = {}): AsyncGenerator<TRow, void, undefined> {
    const rows = this.#stream<TRow>(sql, params, options.signal, () => this.#streams.delete(rows))
    this.#streams.add(rows)
    return rows
  }

  async *#stream<TRow>(sql: string, params: readonly unknown[], signal: AbortSignal | undefined, forget: () => void): AsyncGenerator<TRow, void, undefined> {
    signal?.throwIfAborted()
    const { ready, release } = this.#turn()
    try {
      await ready
      const conn = (this.#conn ??= await openConnection(this.db))
      if (conn.dialect === 'sqlite') {
        for (const row of (conn.raw as SqliteDriverConnection).prepare(sql).iterate(...params)) {
          signal?.throwIfAborted()
          yield row as TRow
        }
        return
      }
      const raw = conn.raw as unknown as MysqlRaw
      // mysql2 streams only text-protocol queries: values are escaped by the driver (never spliced in raw)
      const rows = raw.query(sql, [...params]).stream({ highWaterMark: 1000 })
      const finished = new Promise<void>((resolve) => {
        rows.once('end', resolve)
        rows.once('error', () => resolve())
        rows.once('close', resolve)
      })
      let complete = false
      try {
        for await (const row of rows) {
          signal?.throwIfAborted()
          yield row as TRow
        }
        complete = true
      } finally {
        if (!complete) {
          this.#conn = undefined
          await this.#cancel(conn, raw.threadId, finished)
        }
      }
    } finally {
      forget()
      release()
    }
  }

  async #run<TRow>(sql: string, params: readonly unknown[], signal: AbortSignal | undefined): Promise<TRow[]> {
    signal?.throwIfAborted()
    const conn = (this.#conn ??= await openConnection(this.db))
    if (conn.dialect === 'sqlite') return conn.query<TRow>(sql, params)
    const raw = conn.raw as unknown as MysqlRaw
    const running = runMysql<TRow>(raw, sql, params)
    if (!signal) return running
    return new Promise<TRow[]>((resolve, reject) => {
      let aborted = false
      const onAbort = (): void => {
        aborted = true
        this.#conn = undefined
        void this.#cancel(conn, raw.threadId, running).finally(() => reject(signal.reason as Error))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      running.then(
        (rows) => {
          signal.removeEventListener('abort', onAbort)
          if (!aborted) resolve(rows)
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort)
          if (!aborted) reject(err instanceof Error ? err : new Error(String(err)))
        },
      )
    })
  }

  async #cancel(conn: Connection, threadId: number | null, running: Promise<unknown>): Promise<void> {
    let killed = false
    if (this.db.config.dialect === 'mysql' && Number.isInteger(threadId)) {
      try {
        await killQuery(this.db.config, threadId as number)
        killed = true
      } catch (err) {
        logger.warn({ err, threadId }, 'KILL QUERY failed; dropping the connection instead')
      }
    }
    // once killed, the server answers at once (ER_QUERY_INTERRUPTED); wait for it so the socket is quiet
    if (killed) await Promise.race([running.then(noop, noop), new Promise((resolve) => setTimeout(resolve, 2000).unref())])
    // never reuse a connection whose statement was interrupted: close it and give its pool slot back
    await conn.discard()
  }

  /** Returns the connection to the pool (and closes the pool when this connection opened it); idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      // a stream nobody finished reading would hold its turn forever: end it (which stops its statement)
      for (const rows of [...this.#streams]) void rows.return(undefined).catch(noop)
      await this.#queue
      try {
        await this.#conn?.release()
      } finally {
        this.#conn = undefined
        if (this.#ownsDb) await this.db.close()
      }
    })()
    return this.#closing
  }
}
