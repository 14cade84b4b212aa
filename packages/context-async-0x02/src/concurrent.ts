import type { UsersRow } from '@alx/db-core'
import { AsyncConnection } from './async-connection'
import type { ConnectionTarget } from './async-connection'
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

async function fetchOn(options: FetchOptions, sql: string, params: readonly unknown[]): Promise<UsersRow[]> {
  const { signal, ...target } = options
  await using conn = await AsyncConnection.open({ ...target, signal })
  return await conn.query<UsersRow>(sql, params, { signal })
}

/**
 * `async_fetch_users()`: every row of `users`, fetched on a connection of its own (an SQLite file is read on a worker
 * thread, so the event loop stays free).
 * @example
 * const users = await asyncFetchUsers()
 */
export function asyncFetchUsers(options: FetchOptions = {}): Promise<UsersRow[]> {
  return fetchOn(options, 'SELECT * FROM users', [])
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
  return fetchOn(rest, 'SELECT * FROM users WHERE age > ?', [minAge])
}

/**
 * `fetch_concurrently()`: runs `asyncFetchUsers` and `asyncFetchOlderUsers` at the same time, on two connections
 * (two SQLite threads, or two pooled MySQL connections), and returns `[all, older]` — `asyncio.gather` as
 * `Promise.all`. If one fails the other is cancelled and awaited before the first error is rethrown, so nothing is
 * left running.
 * @example
 * const [all, older] = await fetchConcurrently()
 */
export function fetchConcurrently(options: FetchOptions = {}): Promise<[UsersRow[], UsersRow[]]> {
  return withSharedTarget(options, 2, async (target) => {
    const sibling = new AbortController()
    const signal = options.signal ? AbortSignal.any([options.signal, sibling.signal]) : sibling.signal
    const cancelOnFailure = <T>(promise: Promise<T>): Promise<T> =>
      promise.catch((err: unknown) => {
        sibling.abort(err)
        throw err
      })
    const both = [cancelOnFailure(asyncFetchUsers({ ...target, signal })), cancelOnFailure(asyncFetchOlderUsers({ ...target, signal }))] as const
    try {
      return await Promise.all(both)
    } catch (err) {
      // no connection is left running a query nobody awaits
      await Promise.allSettled(both)
      throw err
    }
  })
}
