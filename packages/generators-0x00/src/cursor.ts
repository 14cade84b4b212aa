import { openConnection } from '@alx/db-core'
import type { Connection, Database } from '@alx/db-core'

/** The better-sqlite3 surface the cursor uses. */
interface SqliteStatement {
  raw(toggle?: boolean): SqliteStatement
  pluck(toggle?: boolean): SqliteStatement
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): unknown
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement
  readonly inTransaction: boolean
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

/** The table every cursor here reads, and its primary key. */
const TABLE = 'user_data'
const KEY = 'user_id'

/** What to read from `user_data` and how to turn each row into a value. */
export type CursorSpec<T> = {
  /** The columns to select, in this order. */
  readonly columns: readonly string[]
  /** Rows in primary-key (`user_id`) order; otherwise in whatever order is cheapest (storage order). */
  readonly ordered: boolean
  /**
   * Most rows read per refill (SQLite), or buffered before the socket is paused (MySQL). SQLite refills start
   * at 1 row and double up to this, so a consumer that takes 6 rows reads 7.
   */
  readonly readAhead: number
  readonly signal?: AbortSignal | undefined
} & (
  | { /** Builds a value from the row's column values, in `columns` order (extra trailing values may follow). */ readonly fromRow: (values: unknown[]) => T }
  | { /** Builds a value from the single selected column. */ readonly fromValue: (value: unknown) => T }
)

/**
 * The SQL a cursor streams on MySQL (and what it reads on SQLite, in chunks).
 * @example
 * selectSql(['age'], false) // 'SELECT age FROM user_data'
 */
export function selectSql(columns: readonly string[], ordered: boolean): string {
  return `SELECT ${columns.join(', ')} FROM ${TABLE}${ordered ? ` ORDER BY ${KEY}` : ''}`
}

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
 * Checks out a pooled connection and returns a cursor over `user_data`; nothing is read until `take()`.
 * @example
 * const cursor = await openCursor(db, { columns: ['age'], ordered: false, readAhead: 256, fromValue: Number })
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

/** A function from the driver's array of column values to the cursor's value. */
function rowConverter<T>(spec: CursorSpec<T>): (values: unknown[]) => T {
  if ('fromRow' in spec) return spec.fromRow
  const { fromValue } = spec
  return (values) => fromValue(values[0])
}

/** Reads the next rows of an SQLite result, at most `n`, in driver form (arrays, or bare values when plucked). */
interface ChunkReader {
  /** Rows, at most `n`; fewer only when `done` became true. */
  read(n: number): unknown[]
  /** True once the last row was read. */
  done: boolean
}

/**
 * Primary-key order: `WHERE user_id > last ORDER BY user_id LIMIT n`, an index seek per chunk.
 * Also storage order of a WITHOUT ROWID table, which is clustered on its key.
 */
function keysetReader(raw: SqliteConnection, columns: readonly string[]): ChunkReader {
  const at = columns.indexOf(KEY)
  const selected = at === -1 ? [...columns, KEY] : columns
  const keyAt = at === -1 ? selected.length - 1 : at
  const select = `SELECT ${selected.join(', ')} FROM ${TABLE}`
  const first = raw.prepare(`${select} ORDER BY ${KEY} LIMIT ?`).raw(true)
  const after = raw.prepare(`${select} WHERE ${KEY} > ? ORDER BY ${KEY} LIMIT ?`).raw(true)
  let last: unknown
  let started = false
  return {
    done: false,
    read(n) {
      const rows = (started ? after.all(last, n) : first.all(n)) as unknown[][]
      started = true
      if (rows.length < n) this.done = true
      const tail = rows[rows.length - 1]
      if (tail !== undefined) last = tail[keyAt]
      return rows
    },
  }
}

/**
 * Storage order of a rowid table: `WHERE rowid > lo AND rowid <= lo + n`, a plain table scan in slices (no ORDER
 * BY, no LIMIT; a single column is plucked, so no array per row). A slice holds at most `n` rows; gaps left by
 * deletes are skipped with one seek. Returns undefined for a WITHOUT ROWID table.
 */
function rowidReader(raw: SqliteConnection, columns: readonly string[], pluck: boolean): ChunkReader | undefined {
  let slice: SqliteStatement
  try {
    slice = raw.prepare(`SELECT ${columns.join(', ')} FROM ${TABLE} WHERE rowid > ? AND rowid <= ?`)
  } catch (err) {
    if (/no such column: rowid/i.test((err as Error).message)) return undefined
    throw err
  }
  slice = pluck ? slice.pluck(true) : slice.raw(true)
  const bounds = raw.prepare(`SELECT min(rowid), max(rowid) FROM ${TABLE}`).raw(true)
  const nextRowid = raw.prepare(`SELECT rowid FROM ${TABLE} WHERE rowid > ? ORDER BY rowid LIMIT 1`).pluck(true)
  let lo = 0
  let max = 0
  let started = false
  return {
    done: false,
    read(n) {
      if (!started) {
        // Read inside the cursor's transaction, so the bounds belong to the same snapshot as the rows.
        const [min, top] = bounds.all()[0] as [number | null, number | null]
        started = true
        if (min === null || top === null) {
          this.done = true
          return []
        }
        lo = min - 1
        max = top
      }
      let rows = slice.all(lo, lo + n)
      lo += n
      while (rows.length === 0 && lo < max) {
        const next = nextRowid.all(lo)[0] as number | undefined
        if (next === undefined) break
        lo = next - 1
        rows = slice.all(lo, lo + n)
        lo += n
      }
      if (lo >= max) this.done = true
      return rows
    },
  }
}

/**
 * SQLite: chunks inside one read transaction. better-sqlite3's `iterate()` crosses from JavaScript into C++ and
 * back for every row; `all()` fills a whole chunk in one call, so reading chunk by chunk is measurably faster
 * (the bench prints both). The read transaction gives every chunk the same snapshot, as a single SELECT would
 * have; chunk sizes grow 1, 2, 4, … up to `readAhead`, so the cursor never reads more rows ahead than the
 * consumer has already taken.
 */
class SqliteCursor<T> implements RowCursor<T> {
  readonly #conn: Connection
  readonly #raw: SqliteConnection
  readonly #reader: ChunkReader
  readonly #convert: (raw: unknown) => T
  readonly #max: number
  readonly #signal: AbortSignal | undefined
  readonly #ownTransaction: boolean
  #buffer: T[] = []
  #head = 0
  #chunk = 1
  #closed = false
  /** On abort, rows already read are dropped, so the next `take()` refills and throws the abort reason. */
  readonly #onAbort = (): void => {
    this.#buffer = []
    this.#head = 0
  }

  constructor(conn: Connection, spec: CursorSpec<T>) {
    this.#conn = conn
    this.#raw = conn.raw as unknown as SqliteConnection
    this.#max = spec.readAhead
    this.#signal = spec.signal
    const pluck = 'fromValue' in spec && spec.columns.length === 1
    const unordered = spec.ordered ? undefined : rowidReader(this.#raw, spec.columns, pluck)
    this.#reader = unordered ?? keysetReader(this.#raw, spec.columns)
    const convert = rowConverter(spec)
    this.#convert = unordered && pluck && 'fromValue' in spec ? spec.fromValue : (convert as (raw: unknown) => T)
    this.#ownTransaction = !this.#raw.inTransaction
    if (this.#ownTransaction) this.#raw.prepare('BEGIN').run()
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true })
  }

  #read(n: number): unknown[] {
    this.#signal?.throwIfAborted()
    return this.#reader.read(n)
  }

  take(): T | undefined {
    if (this.#head < this.#buffer.length) return this.#buffer[this.#head++]
    return this.#refill()
  }

  #refill(): T | undefined {
    if (this.#reader.done) return undefined
    const want = this.#chunk
    if (want < this.#max) this.#chunk = Math.min(want * 2, this.#max)
    // A new array each time: the consumer may still hold rows of the previous one.
    const buffer = this.#read(want).map(this.#convert)
    this.#buffer = buffer
    this.#head = 0
    return buffer.length > 0 ? buffer[this.#head++] : undefined
  }

  takeMany(max: number): T[] {
    const out = this.#buffer.slice(this.#head, this.#head + max)
    this.#head += out.length
    while (out.length < max && !this.#reader.done) {
      for (const values of this.#read(max - out.length)) out.push(this.#convert(values))
    }
    return out
  }

  wait(): Promise<boolean> {
    // Rows are read synchronously: if none was ready, the result set is finished.
    return Promise.resolve(!this.#reader.done || this.#head < this.#buffer.length)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#signal?.removeEventListener('abort', this.#onAbort)
    try {
      if (this.#ownTransaction && this.#raw.inTransaction) this.#raw.prepare('COMMIT').run()
    } finally {
      await this.#conn.release()
    }
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
    const convert = rowConverter(spec)
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
      .query({ sql: selectSql(spec.columns, spec.ordered), values: [], rowsAsArray: true })
      .on('result', (row) => {
        if (this.#signal?.aborted) return
        const incoming = this.#incoming
        incoming.push(convert(row as unknown[]))
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
