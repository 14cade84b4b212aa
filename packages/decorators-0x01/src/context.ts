import { AsyncLocalStorage } from 'node:async_hooks'
import type { Connection } from '@alx/db-core'
import { NoConnectionError } from './errors'

// Created on first use: the higher-order functions never touch it, so they pay nothing for it.
let storage: AsyncLocalStorage<Connection> | undefined

/** Runs `fn` with `conn` as the current connection of the class-method decorators. */
export function runWithConnection<T>(conn: Connection, fn: () => T): T {
  storage ??= new AsyncLocalStorage<Connection>()
  return storage.run(conn, fn)
}

/** The current connection, or `undefined` outside `@WithDbConnection()`. */
export function peekConnection(): Connection | undefined {
  return storage?.getStore()
}

/**
 * The connection bound by `@WithDbConnection()` (transaction-scoped inside `@Transactional()`), for class methods.
 * @throws {NoConnectionError} outside a method decorated with `@WithDbConnection()`.
 * @example
 * class Users {
 *   @WithDbConnection()
 *   async byId(id: number) { return currentConnection().query('SELECT * FROM users WHERE id = ?', [id]) }
 * }
 */
export function currentConnection(): Connection {
  const conn = peekConnection()
  if (conn === undefined) throw new NoConnectionError('No current connection: call this from a method decorated with @WithDbConnection()')
  return conn
}
