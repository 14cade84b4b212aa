import { openConnection } from '@alx/db-core'
import type { Connection, Database } from '@alx/db-core'

/** The better-sqlite3 statement surface the cursor uses. */
interface SqliteStatement {
  raw(toggle?: boolean): SqliteStatement
  pluck(toggle?: boolean): SqliteStatement
  iterate(...params: unknown[]): IterableIterator<unknown>
}
/** The mysql2 (callback API) connection surface the cursor uses. */
interface MysqlQuery {
  on(event: 'result', listener: (row: unknown) => void): MysqlQuery
  on(event: 'end', listener: () => void): MysqlQuery
  on(event: 'error', listener: (err: Error) => void): MysqlQuery
}
interface MysqlConnection {
  query(options: { sql: string; values: readonly unknown[]; rowsAsArray: boolean }): MysqlQuery
  pause(): void
  resume(): void
}

/** What to read and how to turn each driver row into a value. */
export type CursorSpec<T> = {
  readonly sql: string
  readonly bindings?: readonly unknown[]
  /**
   * Most rows pulled from the driver per synchronous refill (SQLite), or buffered before the socket is paused
   * (MySQL). SQLite refills start at 1 row and double up to this, so a consumer that takes 6 rows reads 7.
   */
  readonly readAhead: number
  readonly signal?: AbortSignal | undefined
} & (
  | { /** Builds a value from the row's column values, in SELECT order. */ readonly fromRow: (values: unknown[]) => T }
  | { /** Builds a value from the single selected column. */ readonly fromValue: (value: unknown) => T }
)

/**
 * A forward-only cursor over one result set, split into a synchronous part (`take`, `takeMany`) for the hot
 * loop and an asynchronous part (`wait`) for when no row is ready, so consumers `await` only on an empty buffer.
 */
export interface RowCursor<T> {
  /** The next row, or `undefined` when none is ready: call `wait()` then. On SQLite this pulls rows itself. */
  take(): T | undefined
  /** Up to `max` rows that are ready now (SQLite: pulled on the spot), possibly none. */
  takeMany(max: number): T[]
  /** Resolves true once more rows may be ready, false when the result set is finished; rejects on a query error. */
  wait(): Promise<boolean>
  /** Releases the connection (on MySQL, a connection with unread rows is closed instead of reused). */
  close(): Promise<void>
}

/**
 * Runs `spec.sql` on a pooled connection and returns a cursor over its rows; nothing is read until `take()`.
 * @example
 * const cursor = await openCursor(db, { sql: 'SELECT age FROM user_data', readAhead: 256, fromValue: Number })
 * try { for (;;) { const age = cursor.take(); if (age !== undefined) use(age); else if (!(await cursor.wait())) break } } finally { await cursor.close() }
 */
export async function openCursor<T>(db: Database, spec: CursorSpec<T>): Promise<RowCursor<T>> {
  spec.signal?.throwIfAborted()
  const conn = await openConnection(db)
  try {
    return db.dialect === 'sqlite' ? new SqliteCursor(conn, spec) : new MysqlCursor(conn, spec)
  } catch (err) {
    await conn.release()
    throw err
  }
}

function converter<T>(spec: CursorSpec<T>): { single: boolean; convert: (raw: unknown) => T } {
  return 'fromValue' in spec ? { single: true, convert: spec.fromValue } : { single: false, convert: spec.fromRow as (raw: unknown) => T }
}

class SqliteCursor<T> implements RowCursor<T> {
  readonly #conn: Connection
  readonly #rows: IterableIterator<unknown>
  readonly #convert: (raw: unknown) => T
  readonly #max: number
  readonly #signal: AbortSignal | undefined
  #buffer: T[] = []
  #head = 0
  #chunk = 1
  #done = false
  /** On abort, rows already read are dropped, so the next `take()` refills and throws the abort reason. */
  readonly #onAbort = (): void => {
    this.#buffer = []
    this.#head = 0
  }

  constructor(conn: Connection, spec: CursorSpec<T>) {
    const { single, convert } = converter(spec)
    const stmt = (conn.raw as unknown as { prepare(sql: string): SqliteStatement }).prepare(spec.sql)
    // Arrays (or the bare value) and an object literal built here cost less than the driver's per-row objects.
    this.#rows = (single ? stmt.pluck(true) : stmt.raw(true)).iterate(...(spec.bindings ?? []))
    this.#conn = conn
    this.#convert = convert
    this.#max = spec.readAhead
    this.#signal = spec.signal
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true })
  }

  take(): T | undefined {
    if (this.#head < this.#buffer.length) return this.#buffer[this.#head++]
    return this.#refill()
  }

  #refill(): T | undefined {
    if (this.#done) return undefined
    this.#signal?.throwIfAborted()
    // The consumer may still hold rows of the previous buffer, so start a new array rather than truncating it.
    const buffer: T[] = []
    const rows = this.#rows
    const convert = this.#convert
    const want = this.#chunk
    for (let i = 0; i < want; i++) {
      const next = rows.next()
      if (next.done === true) {
        this.#done = true
        break
      }
      buffer.push(convert(next.value))
    }
    if (want < this.#max) this.#chunk = Math.min(want * 2, this.#max)
    this.#buffer = buffer
    this.#head = 0
    return buffer.length > 0 ? buffer[this.#head++] : undefined
  }

  takeMany(max: number): T[] {
    const out = this.#buffer.slice(this.#head, this.#head + max)
    this.#head += out.length
    if (out.length === max || this.#done) return out
    this.#signal?.throwIfAborted()
    const rows = this.#rows
    const convert = this.#convert
    while (out.length < max) {
      const next = rows.next()
      if (next.done === true) {
        this.#done = true
        break
      }
      out.push(convert(next.value))
    }
    return out
  }

  wait(): Promise<boolean> {
    // Rows are pulled synchronously: if none was ready, the result set is finished.
    return Promise.resolve(!this.#done || this.#head < this.#buffer.length)
  }

  async close(): Promise<void> {
    this.#signal?.removeEventListener('abort', this.#onAbort)
    // Resets the statement (frees the read snapshot) when the consumer stopped early.
    if (!this.#done) this.#rows.return?.()
    this.#done = true
    await this.#conn.release()
  }
}

class MysqlCursor<T> implements RowCursor<T> {
  readonly #conn: Connection
  readonly #raw: MysqlConnection
  readonly #highWaterMark: number
  readonly #signal: AbortSignal | undefined
  /** Rows being consumed. */
  #ready: T[] = []
  #head = 0
  /** Rows arriving from the socket, swapped in whole when `#ready` runs out. */
  #incoming: T[] = []
  #paused = false
  #ended = false
  #error: Error | undefined
  #wake: (() => void) | undefined
  readonly #onAbort: () => void

  constructor(conn: Connection, spec: CursorSpec<T>) {
    const { single, convert } = converter(spec)
    this.#conn = conn
    this.#raw = conn.raw as unknown as MysqlConnection
    this.#highWaterMark = spec.readAhead
    this.#signal = spec.signal
    const wake = (): void => {
      const resolve = this.#wake
      this.#wake = undefined
      resolve?.()
    }
    this.#onAbort = () => {
      // Drop what was read, so `take()` finds nothing and `wait()` throws the abort reason.
      this.#ready = []
      this.#head = 0
      this.#incoming = []
      wake()
    }
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true })
    this.#raw
      .query({ sql: spec.sql, values: spec.bindings ?? [], rowsAsArray: true })
      .on('result', (row) => {
        if (this.#signal?.aborted) return
        const incoming = this.#incoming
        incoming.push(convert(single ? (row as unknown[])[0] : row))
        // Backpressure: stop reading the socket while a full buffer waits; the server then blocks on send.
        if (!this.#paused && incoming.length >= this.#highWaterMark) {
          this.#paused = true
          this.#raw.pause()
        }
        if (this.#wake) wake()
      })
      .on('error', (err) => {
        this.#error = err
        this.#ended = true
        wake()
      })
      .on('end', () => {
        this.#ended = true
        wake()
      })
  }

  take(): T | undefined {
    if (this.#head < this.#ready.length) return this.#ready[this.#head++]
    if (this.#incoming.length === 0) return undefined
    this.#swap()
    return this.#ready[this.#head++]
  }

  #swap(): void {
    this.#ready = this.#incoming
    this.#incoming = []
    this.#head = 0
    if (this.#paused) {
      this.#paused = false
      // May synchronously deliver queued rows into the new `#incoming` (and pause again).
      this.#raw.resume()
    }
  }

  takeMany(max: number): T[] {
    const out: T[] = []
    while (out.length < max) {
      if (this.#head === this.#ready.length) {
        if (this.#incoming.length === 0) break
        this.#swap()
      }
      const end = Math.min(this.#ready.length, this.#head + (max - out.length))
      for (let i = this.#head; i < end; i++) out.push(this.#ready[i] as T)
      this.#head = end
    }
    return out
  }

  async wait(): Promise<boolean> {
    for (;;) {
      this.#signal?.throwIfAborted()
      if (this.#head < this.#ready.length || this.#incoming.length > 0) return true
      if (this.#error) throw this.#error
      if (this.#ended) return false
      await new Promise<void>((resolve) => {
        this.#wake = resolve
      })
    }
  }

  async close(): Promise<void> {
    this.#signal?.removeEventListener('abort', this.#onAbort)
    if (this.#ended) {
      await this.#conn.release()
      return
    }
    // Unread rows are still on the wire: the connection cannot run another query, so it is closed, not reused.
    this.#ended = true
    await this.#conn.discard()
  }
}
