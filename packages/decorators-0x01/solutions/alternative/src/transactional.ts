import type { Connection } from '@alx/db-core'

/**
 * Runs `fn` inside a transaction on its connection: commits when it resolves, rolls back and
 * rethrows when it rejects (the course's `transactional`).
 */
export function transactional<TArgs extends unknown[], TResult>(
  fn: (conn: Connection, ...args: TArgs) => Promise<TResult>,
): (conn: Connection, ...args: TArgs) => Promise<TResult> {
  return async (conn: Connection, ...args: TArgs): Promise<TResult> => {
    await conn.query('BEGIN')
    let result: TResult
    try {
      result = await fn(conn, ...args)
    } catch (error) {
      await conn.query('ROLLBACK')
      throw error
    }
    await conn.query('COMMIT')
    return result
  }
}
