import { openConnection } from '@alx/db-core'
import type { Connection, Database } from '@alx/db-core'
import { getDefaultDatabase } from './default-database'

export interface WithDbConnectionOptions {
  /** The database to take connections from. Default: `await getDefaultDatabase()`. */
  readonly db?: Database
}

/**
 * Opens a connection for each call, passes it to `fn` first, and always releases it
 * (the course's `with_db_connection`).
 */
export function withDbConnection<TArgs extends unknown[], TResult>(
  fn: (conn: Connection, ...args: TArgs) => Promise<TResult>,
  options?: WithDbConnectionOptions,
): (...args: TArgs) => Promise<TResult> {
  return async (...args: TArgs): Promise<TResult> => {
    const db = options?.db ?? (await getDefaultDatabase())
    const conn = await openConnection(db)
    try {
      return await fn(conn, ...args)
    } finally {
      await conn.release()
    }
  }
}
