// Task 1: ExecuteQuery — the course's `with ExecuteQuery(query, params) as results:` as an `await using` block.
import { AsyncConnection, assertStatement } from './async-connection'
import type { OpenConnectionOptions } from './async-connection'
import type { StatementOptions } from './worker-connection'

export interface Queryable {
  readonly id: number
  readonly closed: boolean
  query<TRow = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<TRow[]>
  close(): Promise<void>
}

export interface ExecuteQueryOptions extends OpenConnectionOptions {
  readonly connection?: Queryable | undefined
}

export class ExecuteQuery<TRow = Record<string, unknown>> implements AsyncDisposable, Iterable<TRow> {
  readonly sql: string
  readonly params: readonly unknown[]
  readonly rows: readonly TRow[]
  readonly connection: Queryable
  /** True when this object opened the connection (and so must close it). */
  readonly #ownsConnection: boolean

  private constructor(sql: string, params: readonly unknown[], rows: readonly TRow[], connection: Queryable, ownsConnection: boolean) {
    this.sql = sql
    this.params = params
    this.rows = rows
    this.connection = connection
    this.#ownsConnection = ownsConnection
  }

  /** `__enter__`: checks the arguments, connects, runs the query and keeps its rows. */
  static async open<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: ExecuteQueryOptions = {}): Promise<ExecuteQuery<TRow>> {
    assertStatement(sql, params)
    const { connection, ...target } = options
    const statementOptions = { signal: options.signal }

    if (connection !== undefined) {
      if (target.db !== undefined || target.url !== undefined) {
        throw new TypeError('Give either `connection` or `db`/`url` to ExecuteQuery.open, not both.')
      }
      const rows = await connection.query<TRow>(sql, params, statementOptions)
      return new ExecuteQuery<TRow>(sql, params, rows, connection, false)
    }

    const conn = await AsyncConnection.open(target)
    try {
      const rows = await conn.query<TRow>(sql, params, statementOptions)
      return new ExecuteQuery<TRow>(sql, params, rows, conn, true)
    } catch (err) {
      await conn.close()
      throw err
    }
  }

  get rowCount(): number {
    return this.rows.length
  }

  /** True once the connection this object opened is closed; a borrowed connection never counts. */
  get closed(): boolean {
    return this.#ownsConnection && this.connection.closed
  }

  [Symbol.iterator](): Iterator<TRow> {
    return this.rows[Symbol.iterator]()
  }

  /** `__exit__`: closes the connection it opened (AsyncConnection.close() closes only once). */
  async close(): Promise<void> {
    if (this.#ownsConnection) await this.connection.close()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

/** The one-call form: open, take the rows, close. */
export async function executeQuery<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: ExecuteQueryOptions = {}): Promise<TRow[]> {
  await using results = await ExecuteQuery.open<TRow>(sql, params, options)
  return [...results.rows]
}
