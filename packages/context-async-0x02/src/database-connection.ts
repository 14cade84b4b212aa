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
 *   passes nothing to dispose), so dispose cannot tell success from failure and takes the safe side: it ROLLS BACK
 *   whatever was not committed and closes — as a PEP 249 connection closed without `commit()`. A block that writes
 *   ends with `await conn.commit()`; a read-only block needs nothing.
 * Closing happens exactly once; `run` closes also when committing fails (rolled back, closed, commit error rethrown).
 * @example
 * await DatabaseConnection.run({ url: 'sqlite:./users.db' }, async (conn) => {
 *   await conn.query('INSERT INTO users (name, email, age) VALUES (?, ?, ?)', ['Ada', 'ada@example.org', 36])
 * }) // committed
 * {
 *   await using conn = await DatabaseConnection.open({ url: 'sqlite:./users.db' })
 *   await conn.query('UPDATE users SET age = ? WHERE id = ?', [37, 1])
 *   await conn.commit() // without it, dispose rolls the update back
 * }
 */
export class DatabaseConnection implements AsyncDisposable {
  readonly #conn: AsyncConnection
  /** A statement failed or was cancelled since the transaction began: `run` rolls back even when `fn` resolves. */
  #failed = false
  /** A transaction is open (BEGIN ran and no COMMIT/ROLLBACK since). */
  #inTransaction = true
  /** Statements run since the transaction began: what closing without `commit()` discards. */
  #uncommitted = 0
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
      await conn.close().catch((closeErr: unknown) => logger.error({ err: closeErr }, `rolling back connection #${conn.id} failed after an error`))
      throw err
    }
    // fn resolved: commit (unless a statement failed in it, or fn closed the connection itself: then it rolled back)
    conn.#closing ??= conn.#finish('COMMIT')
    await conn.#closing
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
    this.#uncommitted++
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
    this.#uncommitted++
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
   * Commits what the transaction wrote so far and begins a new one. In an `await using` block this is the only way to
   * keep its writes: dispose rolls back whatever was not committed.
   * @example
   * await conn.commit()
   */
  async commit(): Promise<void> {
    await this.#end('COMMIT')
  }

  /**
   * Undoes what the transaction wrote since it began (or since the last commit) and begins a new one.
   * @example
   * try { … } catch (err) { await conn.rollback(); throw err }
   */
  async rollback(): Promise<void> {
    await this.#end('ROLLBACK')
  }

  async #end(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const unusable = this.#unusable()
    if (unusable) throw unusable
    if (this.#inTransaction) {
      await this.#conn.query(statement)
      this.#inTransaction = false
    }
    this.#failed = false
    this.#uncommitted = 0
    await this.#conn.query('BEGIN')
    this.#inTransaction = true
  }

  #unusable(): Error | undefined {
    if (this.closed) return new DatabaseClosedError(`Connection #${this.id} is closed; open a new one with DatabaseConnection.open()`)
    if (this.#broken) return new DatabaseClosedError(`Connection #${this.id} lost its transaction when a statement was cancelled; open a new one`)
    return undefined
  }

  /**
   * Rolls back whatever was not committed (call `commit()` first to keep it) and closes the connection. The first
   * call does the work; later calls return the same promise. If rolling back fails, it still closes, and rejects.
   * @example
   * await conn.close(); await conn.close() // rolls back and closes once
   */
  close(): Promise<void> {
    this.#closing ??= this.#finish('ROLLBACK')
    return this.#closing
  }

  /** Ends the transaction with `end` (ROLLBACK instead when a statement failed) and closes, once. */
  async #finish(end: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    try {
      if (this.#broken) {
        // best effort: the server connection may be a fresh one with no transaction
        await this.#conn.query('ROLLBACK').catch(() => undefined)
      } else if (!this.#inTransaction) {
        // BEGIN failed after a commit()/rollback(): nothing is open to end
      } else if (end === 'COMMIT' && !this.#failed) {
        try {
          await this.#conn.query('COMMIT')
        } catch (err) {
          // never hand a connection (or a reused SQLite thread) back with a transaction still open
          await this.#conn.query('ROLLBACK').catch(() => undefined)
          throw err
        }
      } else {
        if (end === 'ROLLBACK' && this.#uncommitted > 0 && !this.#failed) {
          logger.debug(`connection #${this.id} closed without commit(): rolled back ${this.#uncommitted} statement(s) since the last commit`)
        }
        await this.#conn.query('ROLLBACK')
      }
      this.#inTransaction = false
    } finally {
      await this.#conn.close()
    }
  }

  /** Same as `close()` (rolls back what was not committed, then closes): what `await using` calls when the block exits. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
