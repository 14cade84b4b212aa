import type { Knex } from 'knex'
import { openConnection } from './connection'
import type { Connection, MysqlDriverConnection, SqliteDriverConnection } from './connection'
import type { Database } from './database'

/** A query to stream: SQL with `?` placeholders and its bindings, or a knex query builder. */
export type StreamQuery = string | { readonly sql: string; readonly bindings?: readonly unknown[] } | Knex.QueryBuilder | Knex.Raw

/** Options of `streamRows` / `streamBatches`. */
export interface StreamOptions {
  /**
   * Rows buffered ahead of the consumer (MySQL stream high-water mark) or rows per yielded array (`streamBatches`).
   * @default 1000
   */
  readonly batchSize?: number
  /** Stops the stream (and releases its connection) when aborted; the loop then throws the abort reason. */
  readonly signal?: AbortSignal
}

/**
 * Throws a `TypeError` naming the value unless it is a positive safe integer.
 * @example
 * assertPositiveInteger('batchSize', 0) // TypeError: Expected `batchSize` to be a positive integer, got 0.
 */
export function assertPositiveInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value)
    throw new TypeError(`Expected \`${name}\` to be a positive integer, got ${shown}.`)
  }
}

/**
 * Turns any `StreamQuery` into SQL with `?` placeholders and its bindings.
 * @example
 * compileQuery(db.knex('users').where('age', '>', 25)) // { sql: 'select * from `users` where `age` > ?', bindings: [25] }
 */
export function compileQuery(query: StreamQuery): { sql: string; bindings: unknown[] } {
  if (typeof query === 'string') return { sql: query, bindings: [] }
  if ('toSQL' in query && typeof query.toSQL === 'function') {
    const native = query.toSQL().toNative()
    return { sql: native.sql, bindings: [...(native.bindings as unknown[])] }
  }
  const plain = query as { sql: string; bindings?: readonly unknown[] }
  return { sql: plain.sql, bindings: [...(plain.bindings ?? [])] }
}

function* sqliteCursor<TRow>(conn: Connection, sql: string, bindings: unknown[], signal?: AbortSignal): Generator<TRow> {
  // better-sqlite3's iterate() is a real cursor: one sqlite3_step per row, nothing read ahead.
  const rows = (conn.raw as SqliteDriverConnection).prepare(sql).iterate(...bindings) as IterableIterator<TRow>
  try {
    if (signal) {
      for (const row of rows) {
        signal.throwIfAborted()
        yield row
      }
    } else {
      yield* rows
    }
  } finally {
    rows.return?.()
  }
}

async function* mysqlCursor<TRow>(conn: Connection, sql: string, bindings: unknown[], batchSize: number, signal?: AbortSignal): AsyncGenerator<TRow> {
  // mysql2's query stream pauses the socket when `highWaterMark` rows wait unread: backpressure, constant memory.
  const stream = (conn.raw as MysqlDriverConnection).query(sql, bindings).stream({ highWaterMark: batchSize })
  let finished = false
  try {
    for await (const row of stream) {
      signal?.throwIfAborted()
      yield row as TRow
    }
    finished = true
  } finally {
    // An abandoned result set leaves unread rows on the wire; the connection cannot be reused.
    if (!finished) await conn.discard()
  }
}

/**
 * Streams the rows of a query one at a time, with backpressure and in constant memory, on SQLite (a real
 * better-sqlite3 cursor) and MySQL (a mysql2 row stream). The connection is held only while iterating and is
 * released when the loop ends, breaks or throws.
 * @example
 * for await (const user of streamRows<User>(db, 'SELECT * FROM user_data ORDER BY user_id')) console.log(user)
 */
export async function* streamRows<TRow = Record<string, unknown>>(db: Database, query: StreamQuery, options: StreamOptions = {}): AsyncGenerator<TRow, void, undefined> {
  const batchSize = options.batchSize ?? 1000
  assertPositiveInteger('batchSize', batchSize)
  const { sql, bindings } = compileQuery(query)
  options.signal?.throwIfAborted()
  const conn = await openConnection(db)
  try {
    yield* db.dialect === 'sqlite'
      ? sqliteCursor<TRow>(conn, sql, bindings, options.signal)
      : mysqlCursor<TRow>(conn, sql, bindings, batchSize, options.signal)
  } finally {
    await conn.release()
  }
}

/**
 * Like `streamRows`, but yields arrays of at most `batchSize` rows (the last one may be shorter, none is empty).
 * @example
 * for await (const batch of streamBatches(db, 'SELECT * FROM user_data', { batchSize: 50 })) console.log(batch.length)
 */
export async function* streamBatches<TRow = Record<string, unknown>>(db: Database, query: StreamQuery, options: StreamOptions = {}): AsyncGenerator<TRow[], void, undefined> {
  const batchSize = options.batchSize ?? 1000
  assertPositiveInteger('batchSize', batchSize)
  const { sql, bindings } = compileQuery(query)
  options.signal?.throwIfAborted()
  if (db.dialect === 'sqlite') {
    // Fill each batch synchronously from the cursor: no per-row promise.
    const conn = await openConnection(db)
    const rows = (conn.raw as SqliteDriverConnection).prepare(sql).iterate(...bindings) as IterableIterator<TRow>
    try {
      for (;;) {
        options.signal?.throwIfAborted()
        const batch: TRow[] = []
        for (let next = rows.next(); !next.done; next = rows.next()) {
          batch.push(next.value)
          if (batch.length === batchSize) break
        }
        if (batch.length === 0) return
        yield batch
        if (batch.length < batchSize) return
      }
    } finally {
      rows.return?.()
      await conn.release()
    }
  }
  let batch: TRow[] = []
  for await (const row of streamRows<TRow>(db, { sql, bindings }, options)) {
    batch.push(row)
    if (batch.length === batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

/** Options of `keysetPages`. */
export interface KeysetOptions {
  /** Column with a unique, ordered value (usually the primary key). */
  readonly key: string
  /** Rows per page. */
  readonly pageSize: number
  /**
   * Columns to select.
   * @default ['*']
   */
  readonly columns?: readonly string[]
  /** Start after this key value (exclusive); default: from the first row. */
  readonly after?: string | number
  readonly signal?: AbortSignal
}

/**
 * Keyset pagination: yields pages of `pageSize` rows ordered by `key`, each fetched only when asked for with
 * `WHERE key > last ORDER BY key LIMIT n` — linear over the table, unlike OFFSET's quadratic rescans.
 * A connection is held only while a page is fetched.
 * @example
 * for await (const page of keysetPages(db, 'user_data', { key: 'user_id', pageSize: 100 })) console.log(page.length)
 */
export async function* keysetPages<TRow extends Record<string, unknown> = Record<string, unknown>>(db: Database, table: string, options: KeysetOptions): AsyncGenerator<TRow[], void, undefined> {
  assertPositiveInteger('pageSize', options.pageSize)
  const { key, pageSize } = options
  let after = options.after
  for (;;) {
    options.signal?.throwIfAborted()
    let query = db.knex(table).select(...(options.columns ?? ['*'])).orderBy(key).limit(pageSize)
    if (after !== undefined) query = query.where(key, '>', after)
    const page = (await query) as TRow[]
    if (page.length === 0) return
    yield page
    if (page.length < pageSize) return
    after = page[page.length - 1]?.[key] as string | number
  }
}
