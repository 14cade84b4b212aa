import type { Connection, Database, Dialect } from '@alx/db-core'
import type { Knex } from 'knex'

/** Anything a wrapped function may take as its first argument to reach the database. */
export type DbHandle = Connection | Database | Knex

/** True for a db-core `Connection` (or a transaction-scoped view of one). */
export function isConnection(value: unknown): value is Connection {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Connection).query === 'function' &&
    typeof (value as Connection).release === 'function' &&
    'raw' in value
  )
}

/** True for a db-core `Database`. */
export function isDatabase(value: unknown): value is Database {
  return typeof value === 'object' && value !== null && typeof (value as Database).poolStats === 'function' && 'knex' in value
}

/** True for a knex instance or knex transaction (both are functions with a `client`). */
export function isKnex(value: unknown): value is Knex {
  return typeof value === 'function' && typeof (value as Knex).raw === 'function' && 'client' in value
}

/** The database a connection handed out by `withDbConnection` came from, by its driver connection. */
const owners = new WeakMap<object, Database>()

/** Remembers which database `conn` belongs to, so caches and invalidation can be scoped per database. */
export function registerConnection(conn: Connection, db: Database): void {
  // pooled connections come back again and again: a lookup is cheaper than re-setting the same entry
  if (owners.get(conn.raw) !== db) owners.set(conn.raw, db)
}

/** The database a connection was opened from, when `withDbConnection` opened it. */
export function ownerOf(conn: Connection): Database | undefined {
  return owners.get(conn.raw)
}

const scopeIds = new WeakMap<object, string>()
let nextScopeId = 0

function idOf(key: object): string {
  let id = scopeIds.get(key)
  if (id === undefined) {
    nextScopeId += 1
    id = `db${nextScopeId}`
    scopeIds.set(key, id)
  }
  return id
}

/** The knex config object identifies one database handle; transactions share it with their parent. */
function knexScope(knex: Knex): string {
  return idOf((knex.client as { config: object }).config)
}

/**
 * A string naming the database behind a handle, for cache keys and invalidation. Connections not opened by
 * `withDbConnection` cannot be traced to their database, so they share one scope per dialect.
 */
export function scopeOf(handle: DbHandle | string): string {
  if (typeof handle === 'string') return handle
  if (isDatabase(handle)) return knexScope(handle.knex)
  if (isKnex(handle)) return knexScope(handle)
  const owner = owners.get(handle.raw)
  return owner ? knexScope(owner.knex) : `unscoped-${handle.dialect}`
}

/** The state of a transaction opened by `transactional`, shared by its nested (savepoint) levels. */
export interface TxState {
  readonly dialect: Dialect
  /** The handle the transaction was opened on; its scope (see `scopeOf`) is looked up only when it wrote. */
  readonly handle: DbHandle
  /** Open levels: 1 = the outer transaction, more = savepoints. */
  depth: number
  /** Set when the database ended the whole transaction (deadlock, lost connection): the error that did. */
  aborted: { readonly cause: unknown } | undefined
  /** Tables written so far; `undefined` once a statement could have written anything. */
  writes: Set<string> | undefined
}

/** Open transactions by driver connection (the connection path) or by knex transaction (the knex path). */
export const txStates = new WeakMap<object, TxState>()

/** True when `handle` is inside a transaction (a transaction-scoped connection, or a knex transaction). */
export function inTransaction(handle: DbHandle): boolean {
  if (isConnection(handle)) return (txStates.get(handle.raw)?.depth ?? 0) > 0
  if (isKnex(handle)) return (handle as Knex & { isTransaction?: boolean }).isTransaction === true
  return false
}

/** Connections that must not go back to the pool (a rollback failed, or an abort destroyed them). */
export const brokenConnections = new WeakSet<object>()
