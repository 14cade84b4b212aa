import type { Connection } from '@alx/db-core'

/** The module-level cache of query results, keyed by the query (the course's `query_cache = {}`). */
export const queryCache = new Map<string, unknown>()

/** The query of a call: the argument after the connection, a string or a `{ query }` object. */
function getQuery(args: unknown[]): string | undefined {
  const first = args[0]
  if (typeof first === 'string') {
    return first
  }
  if (typeof first === 'object' && first !== null && 'query' in first) {
    const query = (first as { query: unknown }).query
    if (typeof query === 'string') {
      return query
    }
  }
  return undefined
}

/**
 * Answers a query from `queryCache` when it ran before; otherwise calls `fn` and stores its
 * result (the course's `cache_query`).
 */
export function cacheQuery<TArgs extends unknown[], TResult>(
  fn: (conn: Connection, ...args: TArgs) => Promise<TResult>,
): (conn: Connection, ...args: TArgs) => Promise<TResult> {
  return async (conn: Connection, ...args: TArgs): Promise<TResult> => {
    const query = getQuery(args)
    if (query === undefined) {
      return fn(conn, ...args)
    }
    if (queryCache.has(query)) {
      return queryCache.get(query) as TResult
    }
    const result = await fn(conn, ...args)
    queryCache.set(query, result)
    return result
  }
}
