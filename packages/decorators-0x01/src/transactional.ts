import { beginTransaction, preparedStatement } from '@alx/db-core'
import type { Connection, Dialect, SqliteDriverConnection, TransactionScope } from '@alx/db-core'
import type { Knex } from 'knex'
import { peekConnection, runWithConnection } from './context'
import { describeValue } from './describe-value'
import { NoConnectionError, TransactionAbortedError } from './errors'
import { brokenConnections, isConnection, isDatabase, isKnex, scopeOf, txStates } from './handles'
import type { TxState } from './handles'
import { invalidateTables } from './invalidation'
import { analyzeSql } from './sql'
import type { AsyncFunction, AsyncMethodDecorator } from './types'

/** Options of `transactional` and `@Transactional()`. */
export interface TransactionalOptions {
  /**
   * How a transaction begins on SQLite. `immediate` takes the write lock at BEGIN, so a read-then-write
   * transaction never fails half-way with a BUSY that waiting cannot fix; the lock wait (busy timeout, then
   * `retryOnFailure`) happens before any work. `deferred` takes no lock until a statement needs one, so
   * read-only transactions run beside a writer (WAL) and each other. `auto` learns per wrapped function:
   * `BEGIN IMMEDIATE` until a call of it has finished without writing, then `BEGIN DEFERRED`, and back to
   * `BEGIN IMMEDIATE` for good once it writes (writes are seen through the connection `fn` is given, not
   * through `conn.raw`). Nested calls use savepoints whatever this says.
   * @default 'auto'
   */
  readonly sqliteBegin?: 'auto' | 'deferred' | 'immediate' | 'exclusive'
}

const BEGIN: Record<NonNullable<TransactionalOptions['sqliteBegin']>, string> = {
  auto: 'BEGIN IMMEDIATE',
  deferred: 'BEGIN DEFERRED',
  immediate: 'BEGIN IMMEDIATE',
  exclusive: 'BEGIN EXCLUSIVE',
}

/** What `auto` has learned about one wrapped function: `undefined` until a call of it finished. */
interface Learned {
  readonly auto: boolean
  /** `true`: its transactions have never written; `false`: one did; `undefined`: no call finished yet. */
  readOnly: boolean | undefined
}

// MySQL: 1213 deadlock (InnoDB rolls the whole transaction back), 2006/2013 server gone / connection lost.
const MYSQL_LOST_ERRNO = new Set([1213, 2006, 2013])
const MYSQL_LOST_CODES = new Set(['ER_LOCK_DEADLOCK', 'PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE'])

/** True when the database has ended the whole transaction, not just failed one statement. */
function endsTransaction(dialect: Dialect, raw: unknown, err: unknown): boolean {
  if (dialect === 'sqlite') return raw !== undefined && (raw as { inTransaction?: boolean }).inTransaction === false
  const seen = new Set<unknown>()
  for (let e = err; typeof e === 'object' && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e)
    const { errno, code, fatal } = e as { errno?: unknown; code?: unknown; fatal?: unknown }
    if (fatal === true) return true
    if (typeof errno === 'number' && MYSQL_LOST_ERRNO.has(errno)) return true
    if (typeof code === 'string' && MYSQL_LOST_CODES.has(code)) return true
  }
  return false
}

/** Runs a control statement on a SQLite connection, synchronously (better-sqlite3 is synchronous), prepared once. */
function sqliteControl(raw: SqliteDriverConnection, sql: string): void {
  preparedStatement(raw, sql).run()
}

function control(conn: Connection, sql: string): Promise<unknown> {
  if (conn.dialect !== 'sqlite') return conn.query(sql)
  try {
    sqliteControl(conn.raw as SqliteDriverConnection, sql)
    return Promise.resolve()
  } catch (err) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the driver's error, passed on as thrown
    return Promise.reject(err)
  }
}

function track(state: TxState, sql: string | undefined): void {
  if (state.writes === undefined || sql === undefined) return
  const info = analyzeSql(sql)
  if (info.kind !== 'write') return
  if (info.tables === undefined) state.writes = undefined
  else for (const table of info.tables) state.writes.add(table)
}

/** Throws when the transaction has been ended by the database (read through a call: `fn` may have set it). */
function assertAlive(state: TxState): void {
  if (state.aborted !== undefined) throw new TransactionAbortedError(state.aborted.cause)
}

/** True when a statement that may write went through the transaction. */
function wrote(state: TxState): boolean {
  return state.writes === undefined || state.writes.size > 0
}

function finish(state: TxState): void {
  if (wrote(state)) invalidateTables(scopeOf(state.handle), state.writes)
}

/** The connection `fn` gets: the same driver connection, with writes tracked and `release()` left to the owner. */
class TransactionConnection implements Connection {
  readonly dialect: Dialect
  readonly raw: Connection['raw']
  readonly #conn: Connection
  readonly #state: TxState

  constructor(conn: Connection, state: TxState) {
    this.dialect = conn.dialect
    this.raw = conn.raw
    this.#conn = conn
    this.#state = state
  }

  query<TRow = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<TRow[]> {
    const state = this.#state
    if (state.aborted !== undefined) return Promise.reject(new TransactionAbortedError(state.aborted.cause))
    track(state, sql)
    return this.#conn.query<TRow>(sql, params).then(undefined, (err: unknown) => {
      if (state.aborted === undefined && endsTransaction(this.dialect, this.raw, err)) state.aborted = { cause: err }
      throw err
    })
  }

  /** A no-op: whoever opened the connection gives it back, after the transaction ends. */
  release(): Promise<void> {
    return Promise.resolve()
  }

  discard(): Promise<void> {
    return this.#conn.discard()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return Promise.resolve()
  }
}

async function rollbackQuietly(conn: Connection, sql: string): Promise<void> {
  try {
    await control(conn, sql)
  } catch {
    // The transaction is gone with its connection: never hand this connection out again.
    brokenConnections.add(conn.raw)
  }
}

async function onConnection<TResult>(
  conn: Connection,
  fn: (this: unknown, conn: Connection, ...args: unknown[]) => Promise<TResult>,
  thisArg: unknown,
  args: unknown[],
  begin: string,
  learned: Learned,
): Promise<TResult> {
  const open = txStates.get(conn.raw)
  if (open !== undefined && open.depth > 0) return inSavepoint(conn, open, fn, thisArg, args)
  if (conn.dialect === 'sqlite') sqliteControl(conn.raw as SqliteDriverConnection, learned.readOnly === true ? 'BEGIN DEFERRED' : begin)
  else await conn.query('START TRANSACTION')
  const state: TxState = { dialect: conn.dialect, handle: conn, depth: 1, aborted: undefined, writes: new Set() }
  txStates.set(conn.raw, state)
  try {
    const result = await fn.call(thisArg, new TransactionConnection(conn, state), ...args)
    // fn caught the error that ended the transaction and went on: its later writes must not be committed
    assertAlive(state)
    if (conn.dialect === 'sqlite') sqliteControl(conn.raw as SqliteDriverConnection, 'COMMIT')
    else await conn.query('COMMIT')
    // learnt from committed calls only: a call that failed early says little about what the function does
    if (learned.auto && learned.readOnly === undefined && !wrote(state)) learned.readOnly = true
    return result
  } catch (err) {
    await rollbackQuietly(conn, 'ROLLBACK')
    // after a deadlock, rethrow the deadlock itself so a retry around this transaction sees a transient error
    throw state.aborted === undefined ? err : state.aborted.cause
  } finally {
    state.depth = 0
    txStates.delete(conn.raw)
    // one write, even rolled back, and it begins with the write lock from now on
    if (learned.auto && wrote(state)) learned.readOnly = false
    // also after a rollback: MySQL commits DDL implicitly, and a needless invalidation only costs a miss
    finish(state)
  }
}

async function inSavepoint<TResult>(
  conn: Connection,
  state: TxState,
  fn: (this: unknown, conn: Connection, ...args: unknown[]) => Promise<TResult>,
  thisArg: unknown,
  args: unknown[],
): Promise<TResult> {
  assertAlive(state)
  const name = `alx_sp_${state.depth}`
  await control(conn, `SAVEPOINT ${name}`)
  state.depth += 1
  try {
    const result = await fn.call(thisArg, new TransactionConnection(conn, state), ...args)
    assertAlive(state)
    await control(conn, `RELEASE SAVEPOINT ${name}`)
    return result
  } catch (err) {
    if (state.aborted === undefined) {
      if (endsTransaction(conn.dialect, conn.raw, err)) state.aborted = { cause: err }
      else {
        try {
          await control(conn, `ROLLBACK TO SAVEPOINT ${name}`)
          await control(conn, `RELEASE SAVEPOINT ${name}`)
        } catch {
          state.aborted = { cause: err }
        }
      }
    }
    throw err
  } finally {
    state.depth -= 1
  }
}

function knexDialect(knex: Knex): Dialect {
  return (knex.client as { dialect?: unknown }).dialect === 'sqlite3' ? 'sqlite' : 'mysql'
}

async function onKnex<TResult>(
  scope: TransactionScope,
  fn: (this: unknown, trx: Knex.Transaction, ...args: unknown[]) => Promise<TResult>,
  thisArg: unknown,
  args: unknown[],
): Promise<TResult> {
  const parent = isKnex(scope) ? txStates.get(scope) : undefined
  if (parent?.aborted !== undefined) throw new TransactionAbortedError(parent.aborted.cause)
  const dialect = isDatabase(scope) ? scope.dialect : knexDialect(scope)
  const tx = await beginTransaction(scope)
  const state: TxState = parent ?? { dialect, handle: scope, depth: 0, aborted: undefined, writes: new Set() }
  state.depth += 1
  txStates.set(tx.knex, state)
  // queries of nested (savepoint) transactions bubble up to this listener too
  const listener = parent === undefined ? (data: { sql?: string }) => track(state, data.sql) : undefined
  if (listener !== undefined) tx.knex.on('query', listener)
  try {
    const result = await fn.call(thisArg, tx.knex, ...args)
    assertAlive(state)
    await tx.commit()
    return result
  } catch (err) {
    if (state.aborted === undefined && dialect === 'mysql' && endsTransaction(dialect, undefined, err)) state.aborted = { cause: err }
    try {
      await tx.rollback()
    } catch {
      // ROLLBACK TO SAVEPOINT fails once the server has rolled the whole transaction back
    }
    throw parent === undefined && state.aborted !== undefined ? state.aborted.cause : err
  } finally {
    if (listener !== undefined) tx.knex.off('query', listener)
    txStates.delete(tx.knex)
    state.depth -= 1
    if (parent === undefined) finish(state)
  }
}

/**
 * Wraps `fn(handle, ...args)` so it runs in a transaction: commits once when it resolves; on any error rolls
 * back and rethrows the same error. Given a db-core `Connection` (as `withDbConnection` passes), it begins the
 * transaction on that connection and hands `fn` a transaction-scoped view of it; given a `Database` or knex
 * handle, `fn` gets the knex transaction. Nested use joins the outer transaction through a savepoint, and
 * tables written through the handle are invalidated in `queryCache` when the transaction ends.
 * @example
 * const updateUserEmail = withDbConnection(transactional(async (conn, id: number, email: string) => {
 *   await conn.query('UPDATE users SET email = ? WHERE id = ?', [email, id])
 * }), { db })
 * await updateUserEmail(1, 'Crawford_Cartwright@hotmail.com')
 */
export function transactional<TThis, TArgs extends unknown[], TResult>(
  fn: (this: TThis, conn: Connection, ...args: TArgs) => Promise<TResult>,
  options?: TransactionalOptions,
): (this: TThis, conn: Connection, ...args: TArgs) => Promise<TResult>
export function transactional<TThis, TArgs extends unknown[], TResult>(
  fn: (this: TThis, trx: Knex.Transaction, ...args: TArgs) => Promise<TResult>,
  options?: TransactionalOptions,
): (this: TThis, scope: TransactionScope, ...args: TArgs) => Promise<TResult>
export function transactional(
  fn: (this: unknown, handle: never, ...args: unknown[]) => Promise<unknown>,
  options: TransactionalOptions = {},
): (this: unknown, handle: Connection | TransactionScope, ...args: unknown[]) => Promise<unknown> {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}.`)
  const mode = options.sqliteBegin ?? 'auto'
  if (!Object.hasOwn(BEGIN, mode)) throw new TypeError(`Expected \`sqliteBegin\` to be 'auto', 'deferred', 'immediate' or 'exclusive', got ${describeValue(mode)}.`)
  const begin = BEGIN[mode]
  const learned: Learned = { auto: mode === 'auto', readOnly: undefined }
  const run = fn as (this: unknown, handle: unknown, ...args: unknown[]) => Promise<unknown>
  return function inTransaction(this: unknown, handle: Connection | TransactionScope, ...args: unknown[]): Promise<unknown> {
    if (isConnection(handle)) return onConnection(handle, run, this, args, begin, learned)
    if (isDatabase(handle) || isKnex(handle)) return onKnex(handle, run, this, args)
    return Promise.reject(new TypeError(`Expected the first argument to be a Connection, a Database or a knex handle, got ${describeValue(handle)}.`))
  }
}

/**
 * The class-method form of `transactional`: runs the method in a transaction on the connection bound by
 * `@WithDbConnection()` (put that decorator above this one), and binds the transaction-scoped connection for
 * `currentConnection()` inside; a decorated method called from another one joins it through a savepoint.
 * @example
 * class Users {
 *   @WithDbConnection({ db }) @Transactional()
 *   async rename(id: number, name: string) { await currentConnection().query('UPDATE users SET name = ? WHERE id = ?', [name, id]) }
 * }
 */
export function Transactional(options: TransactionalOptions = {}): AsyncMethodDecorator {
  return function <TThis, TArgs extends unknown[], TResult>(
    method: AsyncFunction<TThis, TArgs, TResult>,
    context: ClassMethodDecoratorContext<TThis, AsyncFunction<TThis, TArgs, TResult>>,
  ): AsyncFunction<TThis, TArgs, TResult> {
    const inTx = transactional(function (this: TThis, conn: Connection, ...args: TArgs): Promise<TResult> {
      return runWithConnection(conn, () => method.apply(this, args))
    }, options)
    return function transactionalMethod(this: TThis, ...args: TArgs): Promise<TResult> {
      const conn = peekConnection()
      if (conn === undefined) {
        return Promise.reject(new NoConnectionError(`@Transactional() on ${String(context.name)} needs a connection: put @WithDbConnection() above it`))
      }
      return inTx.call(this, conn, ...args)
    }
  }
}
