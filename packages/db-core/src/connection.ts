import type { Knex } from 'knex'
import { statementError } from './classify'
import { destroyMysqlConnection, destroyPostgresConnection } from './close-hooks'
import { assertOpen } from './database'
import type { AnyDatabase, Database } from './database'
import { toPositionalPlaceholders } from './postgres'
import type { AnyDialect, Dialect } from './url'

/** The better-sqlite3 statement surface used here. */
export interface SqliteStatement {
  readonly reader: boolean
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint }
  iterate(...params: unknown[]): IterableIterator<unknown>
}
/** The better-sqlite3 connection surface used here. */
export interface SqliteDriverConnection {
  prepare(sql: string): SqliteStatement
}
/** The mysql2 (callback API) connection surface used here. */
export interface MysqlDriverConnection {
  query(sql: string, values: readonly unknown[], cb: (err: Error | null, rows: unknown) => void): unknown
  query(sql: string, values: readonly unknown[]): { stream(options?: { highWaterMark?: number }): NodeJS.ReadableStream & AsyncIterable<unknown> }
  destroy(): void
  threadId: number | null
  readonly stream?: { destroy(): void }
}

/** The node-postgres (`pg.Client`) surface used here. */
export interface PostgresDriverConnection {
  query(config: { readonly text: string; readonly values: unknown[] }): Promise<PostgresResult | PostgresResult[]>
  query<T extends PostgresSubmittable>(submittable: T): T
  /** The server process id of this session (`pg_backend_pid()`). */
  readonly processID: number | null
  end(): Promise<void>
}
/** One statement's result from node-postgres. */
export interface PostgresResult {
  readonly rows: unknown[]
  readonly rowCount: number | null
  readonly fields: readonly unknown[]
  readonly command: string
}
/** What node-postgres can run besides a text query (a `pg-cursor`). */
export interface PostgresSubmittable {
  submit(connection: unknown): void
}

/** A connection checked out of the pool; `await using` (or `release()`) puts it back. */
export interface Connection<D extends AnyDialect = Dialect> extends AsyncDisposable {
  readonly dialect: D
  /** The driver's own connection (better-sqlite3 `Database`, mysql2 `Connection` or node-postgres `Client`). */
  readonly raw: SqliteDriverConnection | MysqlDriverConnection | PostgresDriverConnection
  /**
   * Runs one parameterized statement with `?` placeholders (numbered `$n` for PostgreSQL): rows for a query,
   * `[{ affectedRows, insertId }]` for a write (`[{ affectedRows }]` on PostgreSQL: use `RETURNING` for ids).
   */
  query<TRow = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<TRow[]>
  /** Returns the connection to the pool; idempotent. */
  release(): Promise<void>
  /** Closes the driver connection instead of reusing it (after an abandoned result set), then releases it. */
  discard(): Promise<void>
}

interface KnexClientPool {
  acquireConnection(): Promise<unknown>
  releaseConnection(conn: unknown): Promise<unknown>
}

function client(db: AnyDatabase): KnexClientPool {
  return db.knex.client as KnexClientPool
}

/** Prepared statements kept per SQLite connection, like Python's `sqlite3` (`cached_statements=128`). */
export const STATEMENT_CACHE_SIZE = 128
const statementCaches = new WeakMap<object, Map<string, SqliteStatement>>()

/**
 * The prepared statement for `sql` on `raw`, prepared once and reused: preparing costs as much as running a
 * one-row lookup. At most `STATEMENT_CACHE_SIZE` per connection, the oldest dropped first. SQLite re-prepares a
 * statement by itself when the schema changes, so a kept statement never goes stale.
 * @example
 * preparedStatement(raw, 'COMMIT').run()
 */
export function preparedStatement(raw: SqliteDriverConnection, sql: string): SqliteStatement {
  let cache = statementCaches.get(raw)
  if (cache === undefined) statementCaches.set(raw, (cache = new Map<string, SqliteStatement>()))
  let stmt = cache.get(sql)
  if (stmt === undefined) {
    stmt = raw.prepare(sql)
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
    cache.set(sql, stmt)
  }
  return stmt
}

/**
 * Runs `sql` on a raw driver connection with bound parameters (never interpolated). On SQLite the prepared
 * statement is kept for the next call with the same text (up to `STATEMENT_CACHE_SIZE` per connection).
 * @example
 * await runOnRaw('sqlite', raw, 'SELECT * FROM users WHERE age > ?', [25])
 */
export function runOnRaw<TRow>(dialect: AnyDialect, raw: unknown, sql: string, params: readonly unknown[] = []): Promise<TRow[]> {
  if (dialect === 'sqlite') {
    try {
      const stmt = preparedStatement(raw as SqliteDriverConnection, sql)
      if (stmt.reader) return Promise.resolve(stmt.all(...params) as TRow[])
      const { changes, lastInsertRowid } = stmt.run(...params)
      return Promise.resolve([{ affectedRows: changes, insertId: lastInsertRowid }] as TRow[])
    } catch (err) {
      // Rejected as thrown: under jest the driver's errors come from another realm, so `instanceof Error` is
      // false for them, and wrapping would lose their `code`.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the driver error itself, see above
      return Promise.reject(err)
    }
  }
  if (dialect === 'postgres') {
    return (raw as PostgresDriverConnection).query({ text: toPositionalPlaceholders(sql), values: [...params] }).then((results) => {
      // several statements without parameters (the simple protocol) give one result each: the last one counts
      const result = Array.isArray(results) ? results[results.length - 1] : results
      if (result === undefined || result.fields.length === 0) return [{ affectedRows: result?.rowCount ?? 0 }] as TRow[]
      return result.rows as TRow[]
    })
  }
  return new Promise((resolve, reject) => {
    ;(raw as MysqlDriverConnection).query(sql, params, (err, rows) => {
      if (err) reject(err)
      else resolve(Array.isArray(rows) ? (rows as TRow[]) : [rows as TRow])
    })
  })
}

/**
 * Checks a connection out of the pool for exclusive use; dispose it (or `release()`) to return it.
 * @example
 * await using conn = await openConnection(db)
 * const rows = await conn.query('SELECT * FROM users WHERE id = ?', [1])
 */
export async function openConnection<D extends AnyDialect = Dialect>(db: Database<D>): Promise<Connection<D>> {
  assertOpen(db)
  const pool = client(db)
  const raw = (await pool.acquireConnection()) as SqliteDriverConnection | MysqlDriverConnection | PostgresDriverConnection
  let released = false
  const release = async (): Promise<void> => {
    if (released) return
    released = true
    // gone when db.close() took the connection back by force: nothing left to give it back to
    if ((db.knex.client as { pool?: unknown }).pool === undefined) return
    await pool.releaseConnection(raw)
  }
  return {
    dialect: db.dialect,
    raw,
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the driver error itself (see runOnRaw), or ours
    query: <TRow>(sql: string, params: readonly unknown[] = []) => runOnRaw<TRow>(db.dialect, raw, sql, params).catch((err: unknown) => Promise.reject(statementError(err, db))),
    release,
    async discard() {
      if (!released && db.dialect === 'mysql') destroyMysqlConnection(raw as MysqlDriverConnection)
      if (!released && db.dialect === 'postgres') destroyPostgresConnection(raw)
      await release()
    },
    [Symbol.asyncDispose]: release,
  }
}

/**
 * Runs `fn` with a pooled connection and always releases it, on return and on throw.
 * @example
 * const rows = await withConnection(db, (conn) => conn.query('SELECT 1 AS one'))
 */
export async function withConnection<T, D extends AnyDialect = Dialect>(db: Database<D>, fn: (conn: Connection<D>) => Promise<T> | T): Promise<T> {
  const conn = await openConnection(db)
  try {
    return await fn(conn)
  } finally {
    await conn.release()
  }
}

/** A transaction as a disposable: `commit()` it; disposing without commit rolls back. */
export interface Transaction extends AsyncDisposable {
  /** The knex transaction: use it exactly like `db.knex`. */
  readonly knex: Knex.Transaction
  readonly committed: boolean
  commit(): Promise<void>
  rollback(): Promise<void>
}

/** A database handle or an open knex transaction (then a savepoint is used). */
export type TransactionScope<D extends AnyDialect = Dialect> = Database<D> | Knex | Knex.Transaction

function isDatabase(scope: TransactionScope<AnyDialect>): scope is AnyDatabase {
  return typeof (scope as Partial<AnyDatabase>).poolStats === 'function'
}

function knexOf(scope: TransactionScope<AnyDialect>): Knex {
  return isDatabase(scope) ? scope.knex : scope
}

/**
 * Begins a transaction (a savepoint when `scope` is already a transaction); disposing it uncommitted rolls back.
 * @example
 * await using tx = await beginTransaction(db)
 * await tx.knex('users').insert({ name: 'Ada' })
 * await tx.commit()
 */
export async function beginTransaction(scope: TransactionScope<AnyDialect>): Promise<Transaction> {
  if (isDatabase(scope)) assertOpen(scope)
  const trx = await knexOf(scope).transaction()
  let committed = false
  return {
    knex: trx,
    get committed() {
      return committed
    },
    async commit() {
      await trx.commit()
      committed = true
    },
    async rollback() {
      if (!trx.isCompleted()) await trx.rollback()
    },
    async [Symbol.asyncDispose]() {
      if (!trx.isCompleted()) await trx.rollback()
    },
  }
}

/**
 * Runs `fn` in a transaction: commits when it resolves, rolls back and rethrows the same error when it throws.
 * Inside another transaction it uses a savepoint, so the outer one decides the commit.
 * @example
 * await withTransaction(db, async (trx) => { await trx('users').insert(row) })
 */
export async function withTransaction<T>(scope: TransactionScope<AnyDialect>, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const tx = await beginTransaction(scope)
  try {
    const result = await fn(tx.knex)
    await tx.commit()
    return result
  } catch (err) {
    await tx.rollback()
    throw err
  }
}
