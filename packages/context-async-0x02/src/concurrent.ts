import type { UsersRow } from '@alx/db-core'
import type { ConnectionTarget } from './database-connection'
import { executeQuery } from './execute-query'
import { allSettledOrThrow, gather } from './gather'
import { withSharedTarget } from './shared-target'

/** Options of the course's fetch functions: which database (default as `openDatabase()`), and cancellation. */
export interface FetchOptions extends ConnectionTarget {
  /** Cancels the query: it stops, its connection is released, and the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined
}

/** Options of `asyncFetchOlderUsers`. */
export interface FetchOlderOptions extends FetchOptions {
  /**
   * Users strictly older than this are returned.
   * @default 40
   */
  readonly minAge?: number
}

/**
 * `async_fetch_users()`: every row of `users`, fetched on a connection of its own (an SQLite file is read on a worker
 * thread, so the event loop stays free).
 * @example
 * const users = await asyncFetchUsers()
 */
export function asyncFetchUsers(options: FetchOptions = {}): Promise<UsersRow[]> {
  return executeQuery<UsersRow>('SELECT * FROM users', [], options)
}

/**
 * `async_fetch_older_users()`: the users older than 40 (or `minAge`), with the age bound as a parameter.
 * @throws {TypeError} when `minAge` is not a finite number.
 * @example
 * const older = await asyncFetchOlderUsers({ minAge: 60 })
 */
export function asyncFetchOlderUsers(options: FetchOlderOptions = {}): Promise<UsersRow[]> {
  const { minAge = 40, ...rest } = options
  if (typeof minAge !== 'number' || !Number.isFinite(minAge)) {
    return Promise.reject(new TypeError(`Expected \`minAge\` to be a finite number, got ${JSON.stringify(minAge) ?? String(minAge)}.`))
  }
  return executeQuery<UsersRow>('SELECT * FROM users WHERE age > ?', [minAge], rest)
}

/**
 * `fetch_concurrently()`: runs `asyncFetchUsers` and `asyncFetchOlderUsers` at the same time, on two connections
 * (two SQLite threads, or two pooled MySQL connections), and returns `[all, older]`. If one fails the other is
 * cancelled and awaited before the first error is rethrown, so nothing is left running.
 * @example
 * const [all, older] = await fetchConcurrently()
 */
export function fetchConcurrently(options: FetchOptions = {}): Promise<[UsersRow[], UsersRow[]]> {
  return withSharedTarget(options, 2, (target) =>
    gather([(signal) => asyncFetchUsers({ ...target, signal }), (signal) => asyncFetchOlderUsers({ ...target, signal })], { signal: options.signal }),
  )
}

/**
 * `fetchConcurrently` that keeps a partial result: each side settles on its own, and it rejects with an
 * `AggregateError` of both reasons only when both queries failed.
 * @example
 * const [all, older] = await fetchConcurrentlySettled()
 * if (older.status === 'fulfilled') console.log(older.value.length)
 */
export function fetchConcurrentlySettled(options: FetchOptions = {}): Promise<[PromiseSettledResult<UsersRow[]>, PromiseSettledResult<UsersRow[]>]> {
  return withSharedTarget(options, 2, (target) => {
    const shared = { ...target, signal: options.signal }
    return allSettledOrThrow([asyncFetchUsers(shared), asyncFetchOlderUsers(shared)])
  })
}
