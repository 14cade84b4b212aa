import { openConnection } from '@alx/db-core'
import type { Connection, Database, MysqlDriverConnection } from '@alx/db-core'
import { peekConnection, runWithConnection } from './context'
import { defaultDatabaseIfOpen, getDefaultDatabase } from './default-database'
import { describeValue } from './describe-value'
import { brokenConnections, isDatabase, ownerOf, registerConnection, txStates } from './handles'
import type { AsyncFunction, AsyncMethodDecorator } from './types'

/** Options of `withDbConnection` and `@WithDbConnection()`. */
export interface WithDbConnectionOptions {
  /**
   * Where connections come from: a database, or a function giving one (called on every call).
   * @default getDefaultDatabase() — `DATABASE_URL`, else the embedded SQLite file
   */
  readonly db?: Database | (() => Database | Promise<Database>)
  /**
   * Aborting makes calls that have not started reject at once with the signal's reason; on MySQL it also
   * destroys the connection of a running call, so its query ends now instead of when the server finishes.
   */
  readonly signal?: AbortSignal
}

function validate(options: WithDbConnectionOptions): void {
  const { db, signal } = options
  if (db !== undefined && typeof db !== 'function' && !isDatabase(db)) {
    throw new TypeError(`Expected \`db\` to be a Database or a function returning one, got ${describeValue(db)}.`)
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${describeValue(signal)}.`)
  }
}

/**
 * Wraps `fn(conn, ...args)` into `(...args)`: each call checks a connection out of the pool, passes it as the
 * first argument, and always gives it back — on return, on throw and on abort (a connection left broken by a
 * failed rollback or an abort is discarded instead of reused).
 * @example
 * const getUserById = withDbConnection(async (conn, id: number) => (await conn.query('SELECT * FROM users WHERE id = ?', [id]))[0], { db })
 * await getUserById(1)
 */
export function withDbConnection<TThis, TArgs extends unknown[], TResult>(
  fn: (this: TThis, conn: Connection, ...args: TArgs) => Promise<TResult>,
  options: WithDbConnectionOptions = {},
): AsyncFunction<TThis, TArgs, TResult> {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}.`)
  validate(options)
  const { db, signal } = options
  return async function connected(this: TThis, ...args: TArgs): Promise<TResult> {
    signal?.throwIfAborted()
    const database = db === undefined ? await getDefaultDatabase() : typeof db === 'function' ? await db() : db
    const conn = await openConnection(database)
    registerConnection(conn, database)
    let destroyed = false
    let onAbort: (() => void) | undefined
    try {
      // aborted while waiting for the pool
      signal?.throwIfAborted()
      if (signal !== undefined && conn.dialect === 'mysql') {
        onAbort = () => {
          destroyed = true
          // a hard close: mysql2's destroy() only half-closes, and the running query would still finish
          const raw = conn.raw as MysqlDriverConnection & { stream?: { destroy(): void } }
          if (raw.stream === undefined) raw.destroy()
          else raw.stream.destroy()
        }
        signal.addEventListener('abort', onAbort, { once: true })
      }
      return await fn.call(this, conn, ...args)
    } catch (err) {
      if (signal?.aborted) throw signal.reason
      throw err
    } finally {
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort)
      const dirty = destroyed || brokenConnections.has(conn.raw) || (txStates.get(conn.raw)?.depth ?? 0) > 0
      await (dirty ? conn.discard() : conn.release())
    }
  }
}

function reusable(current: Connection, db: WithDbConnectionOptions['db']): boolean {
  const owner = ownerOf(current)
  if (owner === undefined) return false
  if (db === undefined) return owner === defaultDatabaseIfOpen()
  return owner === db
}

/**
 * The class-method form of `withDbConnection`: the method keeps its signature and reaches the connection
 * through `currentConnection()`; a decorated method called from another one reuses the caller's connection.
 * @example
 * class Users {
 *   @WithDbConnection({ db })
 *   async byId(id: number) { return (await currentConnection().query('SELECT * FROM users WHERE id = ?', [id]))[0] }
 * }
 */
export function WithDbConnection(options: WithDbConnectionOptions = {}): AsyncMethodDecorator {
  validate(options)
  return function <TThis, TArgs extends unknown[], TResult>(method: AsyncFunction<TThis, TArgs, TResult>): AsyncFunction<TThis, TArgs, TResult> {
    const opened = withDbConnection(function (this: TThis, conn: Connection, ...args: TArgs): Promise<TResult> {
      return runWithConnection(conn, () => method.apply(this, args))
    }, options)
    return function connectedMethod(this: TThis, ...args: TArgs): Promise<TResult> {
      const current = peekConnection()
      if (current !== undefined && reusable(current, options.db)) return method.apply(this, args)
      return opened.apply(this, args)
    }
  }
}
