// Task 0: DatabaseConnection — the course's `with DatabaseConnection() as conn:` as an `await using` block.
import { DatabaseClosedError, logger } from '@alx/db-core'
import type { Dialect } from '@alx/db-core'
import { AsyncConnection } from './async-connection'
import type { OpenConnectionOptions } from './async-connection'

export class DatabaseConnection implements AsyncDisposable {
  readonly id: number
  readonly dialect: Dialect
  readonly mode: 'worker' | 'pool'
  readonly #conn: AsyncConnection
  /** Set when a statement failed in the current transaction (cleared by commit() and rollback()). */
  #failed = false
  /** The close() in progress or done; undefined while open. */
  #closing: Promise<void> | undefined

  private constructor(conn: AsyncConnection) {
    this.#conn = conn
    this.id = conn.id
    this.dialect = conn.dialect
    this.mode = conn.mode
  }

  /** Opens a connection (`__enter__`) and begins a transaction. */
  static async open(target?: string | OpenConnectionOptions): Promise<DatabaseConnection> {
    const conn = await AsyncConnection.open(target)
    try {
      await conn.query('BEGIN')
    } catch (err) {
      await conn.close()
      throw err
    }
    return new DatabaseConnection(conn)
  }

  /** The whole `with` block: commits when `fn` resolves, rolls back when it throws, always closes. */
  static async run<T>(target: string | OpenConnectionOptions | undefined, fn: (conn: DatabaseConnection) => Promise<T> | T): Promise<T> {
    const conn = await DatabaseConnection.open(target)
    let result: T
    try {
      result = await fn(conn)
    } catch (err) {
      // close() rolls back (a failed rollback is only logged) and closes; the block's own error goes on unchanged
      await conn.close().catch((closeErr: unknown) => logger.warn({ err: closeErr }, 'DatabaseConnection.run: close failed'))
      throw err
    }
    try {
      // a failed statement, even one the callback caught, means the block did not succeed: close() rolls back
      if (!conn.#failed) await conn.commit()
    } finally {
      await conn.close()
    }
    return result
  }

  get closed(): boolean {
    return this.#closing !== undefined
  }

  async query<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: { signal?: AbortSignal } = {}): Promise<TRow[]> {
    if (this.closed) throw new DatabaseClosedError(`DatabaseConnection #${this.id} is closed`)
    try {
      return await this.#conn.query<TRow>(sql, params, options)
    } catch (err) {
      this.#failed = true
      throw err
    }
  }

  async *stream<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: { signal?: AbortSignal } = {}): AsyncGenerator<TRow, void, undefined> {
    if (this.closed) throw new DatabaseClosedError(`DatabaseConnection #${this.id} is closed`)
    let finished = false
    try {
      for await (const row of this.#conn.stream<TRow>(sql, params, options)) yield row
      finished = true
    } finally {
      // a failure, or the reader leaving the loop early
      if (!finished) this.#failed = true
    }
  }

  /** Commits what was written so far and begins a new transaction. */
  async commit(): Promise<void> {
    if (this.closed) throw new DatabaseClosedError(`DatabaseConnection #${this.id} is closed`)
    await this.#conn.query('COMMIT')
    this.#failed = false
    await this.#conn.query('BEGIN')
  }

  /** Undoes what was written since the transaction began and begins a new one. */
  async rollback(): Promise<void> {
    if (this.closed) throw new DatabaseClosedError(`DatabaseConnection #${this.id} is closed`)
    await this.#conn.query('ROLLBACK')
    this.#failed = false
    await this.#conn.query('BEGIN')
  }

  /** Rolls back whatever was not committed and closes the connection (once). */
  close(): Promise<void> {
    this.#closing ??= this.#rollbackAndClose()
    return this.#closing
  }

  async #rollbackAndClose(): Promise<void> {
    try {
      await this.#conn.query('ROLLBACK')
    } catch (err) {
      logger.warn({ err }, `DatabaseConnection #${this.id}: rollback on close failed`)
    } finally {
      await this.#conn.close()
    }
  }

  /** What `await using` calls on the way out: the same as close(), it never commits. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
