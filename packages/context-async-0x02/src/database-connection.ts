import { DatabaseClosedError, logger } from '@alx/db-core'
import type { Dialect } from '@alx/db-core'
import { AsyncConnection } from './async-connection'
import type { ConnectionMode, OpenConnectionOptions } from './async-connection'
import type { StatementOptions } from './worker-connection'

/**
 * Python's `with DatabaseConnection('users.db') as conn:` — one connection holding one transaction:
 * - `open()` connects (through the provided `AsyncConnection`) and begins a transaction (`BEGIN`);
 * - `DatabaseConnection.run(target, fn)` is the `with` block: it commits when `fn` resolves, rolls back when `fn`
 *   throws (any throw), closes the connection either way, and rethrows `fn`'s error unchanged;
 * - `await using conn = await DatabaseConnection.open(target)` cannot see a `throw` in its block (the language
 *   does not pass it to dispose), so dispose rolls back when the connection itself saw an error — a statement
 *   that failed or was cancelled, even if that error was caught — and commits otherwise. Use `run` (or
 *   `await conn.rollback()` in a `catch`) when your own error must undo the writes.
 * Closing happens exactly once, also when committing fails (the connection is rolled back, closed, and the commit
 * error rethrown).
 * @example
 * await DatabaseConnection.run({ url: 'sqlite:./users.db' }, async (conn) => {
 *   await conn.query('INSERT INTO users (name, email, age) VALUES (?, ?, ?)', ['Ada', 'ada@example.org', 36])
 * }) // committed
 */
export class DatabaseConnection implements AsyncDisposable {
  readonly #conn: AsyncConnection
  /** A statement failed or was cancelled since the transaction began: dispose rolls back. */
  #failed = false
  /** The transaction can no longer be trusted (a cancelled statement may have cost the server connection). */
  #broken = false
  #closing: Promise<void> | undefined

  private constructor(conn: AsyncConnection) {
    this.#conn = conn
  }

  /**
   * Connects to `target` (as `AsyncConnection.open`: a URL, `{ url }` or `{ db }`; default `DATABASE_URL`, else the
   * embedded SQLite file) and begins a transaction.
   * @example
   * await using conn = await DatabaseConnection.open({ db })
   */
  static async open(target?: string | OpenConnectionOptions): Promise<DatabaseConnection> {
    const conn = await AsyncConnection.open(target)
    try {
      await conn.query('BEGIN')
    } catch (err) {
      await conn.close().catch(() => undefined)
      throw err
    }
    return new DatabaseConnection(conn)
  }

  /**
   * The `with` block: opens a connection, runs `fn` with it, commits if `fn` resolves and rolls back if it throws,
   * closes, and returns `fn`'s result (or rethrows its error unchanged; a failure to roll back is only logged).
   * @example
   * const n = await DatabaseConnection.run({ db }, async (conn) => (await conn.query('SELECT * FROM users')).length)
   */
  static async run<T>(target: string | OpenConnectionOptions | undefined, fn: (conn: DatabaseConnection) => Promise<T> | T): Promise<T> {
    const conn = await DatabaseConnection.open(target)
    let result: T
    try {
      result = await fn(conn)
    } catch (err) {
      conn.#failed = true
      await conn.close().catch((closeErr: unknown) => logger.error({ err: closeErr }, `rolling back connection #${conn.id} failed after an error`))
      throw err
    }
    await conn.close()
    return result
  }

  /** The underlying connection's id (as in `onConnection` events). */
  get id(): number {
    return this.#conn.id
  }

  get dialect(): Dialect {
    return this.#conn.dialect
  }

  /** `worker` (an SQLite file on a thread of its own) or `pool` (MySQL, SQLite `:memory:`). */
  get mode(): ConnectionMode {
    return this.#conn.mode
  }

  /** True once `close()` (or dispose) was called. */
  get closed(): boolean {
    return this.#closing !== undefined
  }

  /**
   * Runs one statement in the transaction with bound parameters: the rows of a query, or `[{ affectedRows, insertId }]`
   * for a write. A failure rejects with the driver's error and makes dispose roll back.
   * @example
   * const users = await conn.query<UsersRow>('SELECT * FROM users')
   */
  query<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): Promise<TRow[]> {
    const unusable = this.#unusable()
    if (unusable) return Promise.reject(unusable)
    return this.#conn.query<TRow>(sql, params, options).catch((err: unknown) => {
      this.#failed = true
      if (options.signal?.aborted) this.#broken = true
      throw err
    })
  }

  /**
   * Streams the rows of a query in the transaction (see `AsyncConnection.stream`); leaving it early or a failure makes
   * dispose roll back.
   * @example
   * for await (const row of conn.stream<UserDataRow>('SELECT * FROM user_data')) total += row.age
   */
  async *stream<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): AsyncGenerator<TRow, void, undefined> {
    const unusable = this.#unusable()
    if (unusable) throw unusable
    let complete = false
    try {
      yield* this.#conn.stream<TRow>(sql, params, options)
      complete = true
    } finally {
      // a MySQL stream left early is killed and its server connection dropped: the transaction is gone with it
      if (!complete) {
        this.#failed = true
        this.#broken = true
      }
    }
  }

  /**
   * Commits what the transaction wrote so far and begins a new one.
   * @example
   * await conn.commit()
   */
  async commit(): Promise<void> {
    await this.#end('COMMIT')
    this.#failed = false
    await this.#conn.query('BEGIN')
  }

  /**
   * Undoes what the transaction wrote since it began (or since the last commit) and begins a new one.
   * @example
   * try { … } catch (err) { await conn.rollback(); throw err }
   */
  async rollback(): Promise<void> {
    await this.#end('ROLLBACK')
    this.#failed = false
    await this.#conn.query('BEGIN')
  }

  async #end(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const unusable = this.#unusable()
    if (unusable) throw unusable
    await this.#conn.query(statement)
  }

  #unusable(): Error | undefined {
    if (this.closed) return new DatabaseClosedError(`Connection #${this.id} is closed; open a new one with DatabaseConnection.open()`)
    if (this.#broken) return new DatabaseClosedError(`Connection #${this.id} lost its transaction when a statement was cancelled; open a new one`)
    return undefined
  }

  /**
   * Ends the transaction — rolls back if a statement failed, commits otherwise — and closes the connection. The first
   * call does the work; later calls return the same promise. If committing fails, it rolls back, closes, and rejects.
   * @example
   * await conn.close(); await conn.close() // commits and closes once
   */
  close(): Promise<void> {
    this.#closing ??= this.#finish()
    return this.#closing
  }

  async #finish(): Promise<void> {
    try {
      if (this.#broken) {
        // best effort: the server connection may be a fresh one with no transaction
        await this.#conn.query('ROLLBACK').catch(() => undefined)
      } else if (this.#failed) {
        await this.#conn.query('ROLLBACK')
      } else {
        try {
          await this.#conn.query('COMMIT')
        } catch (err) {
          // never hand a connection (or a reused SQLite thread) back with a transaction still open
          await this.#conn.query('ROLLBACK').catch(() => undefined)
          throw err
        }
      }
    } finally {
      await this.#conn.close()
    }
  }

  /** Same as `close()`: what `await using` calls when the block exits. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
