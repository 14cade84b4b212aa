import { logger } from '@alx/db-core'
import { AsyncConnection, assertStatement } from './async-connection'
import type { OpenConnectionOptions } from './async-connection'
import type { StatementOptions } from './worker-connection'

/** Anything that runs a statement: an `AsyncConnection`, or Task 0's `DatabaseConnection`. */
export interface Queryable {
  readonly id: number
  readonly closed: boolean
  query<TRow = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<TRow[]>
  close(): Promise<void>
}

/** Options of `ExecuteQuery.open` and `executeQuery`. */
export interface ExecuteQueryOptions extends OpenConnectionOptions {
  /** Run on this open connection instead of opening one; it is then left open on exit (its owner closes it). */
  readonly connection?: Queryable | undefined
}

/**
 * Python's `with ExecuteQuery("SELECT * FROM users WHERE age > ?", (25,)) as results` as
 * `await using q = await ExecuteQuery.open(sql, [25])`: opens a connection, runs the parameterized query, exposes
 * its `rows`, and closes the connection when the block exits or throws. Parameters are always bound, never spliced.
 * The connection stays open for the block, so follow-up statements can use `q.connection`.
 * @example
 * await using q = await ExecuteQuery.open<UsersRow>('SELECT * FROM users WHERE age > ?', [25])
 * for (const user of q) console.log(user.name)
 */
export class ExecuteQuery<TRow = Record<string, unknown>> implements AsyncDisposable, Iterable<TRow> {
  readonly sql: string
  readonly params: readonly unknown[]
  /** Every row the query returned (`[{ affectedRows, insertId }]` for a write). */
  readonly rows: readonly TRow[]
  /** The connection the query ran on, open until the block exits. */
  readonly connection: Queryable
  readonly #ownsConnection: boolean

  private constructor(sql: string, params: readonly unknown[], rows: readonly TRow[], connection: Queryable, ownsConnection: boolean) {
    this.sql = sql
    this.params = Object.freeze([...params])
    // typed readonly, not frozen: freezing (or copying) a million-row array would stall the event loop
    this.rows = rows
    this.connection = connection
    this.#ownsConnection = ownsConnection
  }

  /**
   * Connects (or uses `options.connection`), runs `sql` with `params` bound to its `?` placeholders, and returns the
   * query with its rows; if the query fails, the connection it opened is closed before the error is rethrown.
   * @throws {TypeError} when `sql` is not a non-empty string or `params` is not an array.
   * @example
   * await using q = await ExecuteQuery.open('SELECT * FROM users WHERE age > ?', [25], { url: 'sqlite:./users.db' })
   */
  static async open<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: ExecuteQueryOptions = {}): Promise<ExecuteQuery<TRow>> {
    assertStatement(sql, params)
    const { connection: given, ...target } = options
    if (given !== undefined && (target.db !== undefined || target.url !== undefined)) {
      throw new TypeError('Expected either `connection` or `db`/`url`, not both.')
    }
    const connection = given ?? (await AsyncConnection.open(target))
    try {
      const rows = await connection.query<TRow>(sql, params, { signal: options.signal })
      return new ExecuteQuery<TRow>(sql, params, rows, connection, given === undefined)
    } catch (err) {
      if (given === undefined) {
        await connection.close().catch((closeErr: unknown) => logger.error({ err: closeErr }, `closing connection #${connection.id} failed after an error`))
      }
      throw err
    }
  }

  /** How many rows the query returned. */
  get rowCount(): number {
    return this.rows.length
  }

  /** True once the connection this query opened is closed (always false for a borrowed connection). */
  get closed(): boolean {
    return this.#ownsConnection && this.connection.closed
  }

  [Symbol.iterator](): Iterator<TRow> {
    return this.rows[Symbol.iterator]()
  }

  /**
   * Closes the connection the query opened (a borrowed one is left to its owner); idempotent.
   * @example
   * await q.close()
   */
  async close(): Promise<void> {
    if (this.#ownsConnection) await this.connection.close()
  }

  /** Same as `close()`: what `await using` calls when the block exits. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

/**
 * Runs one parameterized query on a connection of its own and returns its rows, closing the connection either way.
 * @example
 * const adults = await executeQuery<UsersRow>('SELECT * FROM users WHERE age > ?', [25])
 */
export async function executeQuery<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: ExecuteQueryOptions = {}): Promise<TRow[]> {
  await using query = await ExecuteQuery.open<TRow>(sql, params, options)
  // the query object is dropped here, so its array can be handed over without a copy
  return query.rows as TRow[]
}
