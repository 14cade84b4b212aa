// Task 2: 3-concurrent.py — two queries on two connections, run together with Promise.all (asyncio.gather).
import type { UsersRow } from '@alx/db-core'
import { AsyncConnection } from './async-connection'
import type { ConnectionTarget } from './async-connection'

export interface FetchOptions extends ConnectionTarget {
  readonly signal?: AbortSignal | undefined
}

export interface FetchOlderOptions extends FetchOptions {
  readonly minAge?: number
}

/** Every user, on a connection of its own. */
export async function asyncFetchUsers(options: FetchOptions = {}): Promise<UsersRow[]> {
  const { db, url, signal } = options
  await using conn = await AsyncConnection.open({ db, url, signal })
  // `return await`: the rows must arrive before `await using` closes the connection
  return await conn.query<UsersRow>('SELECT * FROM users', [], { signal })
}

/** The users strictly older than `minAge` (default 40), on a connection of its own. */
export async function asyncFetchOlderUsers(options: FetchOlderOptions = {}): Promise<UsersRow[]> {
  const { db, url, signal, minAge = 40 } = options
  if (typeof minAge !== 'number' || !Number.isFinite(minAge)) {
    throw new TypeError(`Expected \`minAge\` to be a finite number, got ${String(minAge)}.`)
  }
  await using conn = await AsyncConnection.open({ db, url, signal })
  return await conn.query<UsersRow>('SELECT * FROM users WHERE age > ?', [minAge], { signal })
}

/** Starts both queries before awaiting either: [all users, users older than 40]. */
export async function fetchConcurrently(options: FetchOptions = {}): Promise<[UsersRow[], UsersRow[]]> {
  const { db, url, signal } = options
  return Promise.all([asyncFetchUsers({ db, url, signal }), asyncFetchOlderUsers({ db, url, signal })])
}
