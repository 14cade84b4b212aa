import { createLogger } from '@alx/db-core'
import type { Logger } from '@alx/db-core'

export interface LogQueriesOptions {
  /** Where the lines go. Default: db-core's `createLogger()`. */
  readonly logger?: Logger
}

/** The SQL of a call: the first argument when it is a string, or its `query` property. */
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
 * Logs the SQL of every call before calling `fn` (the course's `log_queries`).
 */
export function logQueries<TArgs extends unknown[], TResult>(
  fn: (...args: TArgs) => Promise<TResult>,
  options?: LogQueriesOptions,
): (...args: TArgs) => Promise<TResult> {
  const logger = options?.logger ?? createLogger()

  return async (...args: TArgs): Promise<TResult> => {
    const query = getQuery(args)
    if (query !== undefined) {
      logger.info(`${new Date().toISOString()} Executing query: ${query}`)
    }
    return fn(...args)
  }
}
