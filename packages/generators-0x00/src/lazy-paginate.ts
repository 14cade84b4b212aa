import { assertPositiveInteger } from '@alx/db-core'
import type { Database, UserDataRow } from '@alx/db-core'
import { assertDbOptions, leaseDatabase, withDatabase } from './options'
import type { DbOptions } from './options'
import { rowToUser, USER_COLUMNS } from './users'

function assertOffset(offset: unknown): asserts offset is number {
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new TypeError(`Expected \`offset\` to be a non-negative integer, got ${typeof offset === 'string' ? JSON.stringify(offset) : String(offset)}.`)
  }
}

async function selectPage(db: Database, pageSize: number, offset: number): Promise<UserDataRow[]> {
  const rows = (await db.knex('user_data').select(...USER_COLUMNS).orderBy('user_id').limit(pageSize).offset(offset)) as Record<string, unknown>[]
  return rows.map(rowToUser)
}

/**
 * One page of `user_data` in primary-key order with `LIMIT pageSize OFFSET offset`, as the original's
 * `paginate_users` (which also rescans the `offset` rows it skips: see `lazyPaginateByKey` in `keyset-paginate.ts`).
 * @throws {TypeError} when `pageSize` is not a positive integer or `offset` not a non-negative one.
 * @example
 * const secondPage = await paginateUsers(100, 100)
 */
export async function paginateUsers(pageSize: number, offset: number, options: DbOptions = {}): Promise<UserDataRow[]> {
  assertPositiveInteger('pageSize', pageSize)
  assertOffset(offset)
  assertDbOptions(options)
  return withDatabase(options, (db) => selectPage(db, pageSize, offset))
}

/**
 * Yields pages of `pageSize` users from `paginateUsers`, fetching each page only when asked for (offset 0,
 * then `pageSize`, …) and stopping at the first empty page, as the original `lazy_paginate`.
 * @throws {TypeError} at the call when `pageSize` is not a positive integer.
 * @example
 * for await (const page of lazyPaginate(100)) for (const user of page) console.log(user)
 */
export function lazyPaginate(pageSize: number, options: DbOptions = {}): AsyncGenerator<UserDataRow[], void, undefined> {
  assertPositiveInteger('pageSize', pageSize)
  assertDbOptions(options)
  return generateOffsetPages(pageSize, options)
}

async function* generateOffsetPages(pageSize: number, options: DbOptions): AsyncGenerator<UserDataRow[], void, undefined> {
  const lease = await leaseDatabase(options)
  try {
    for (let offset = 0; ; offset += pageSize) {
      const page = await selectPage(lease.db, pageSize, offset)
      if (page.length === 0) return
      yield page
    }
  } finally {
    await lease.close()
  }
}

/**
 * The name the course's `3-main.py` imports (`lazy_pagination`): the same function as `lazyPaginate`.
 * @example
 * for await (const page of lazyPagination(100)) console.log(page.length)
 */
export const lazyPagination = lazyPaginate
