// Task 3 (the course's 2-lazy_paginate.py): one page with LIMIT/OFFSET, and a generator fetching pages on demand.
import { assertPositiveInteger } from '@alx/db-core'
import type { UserDataRow } from '@alx/db-core'
import { leaseDatabase, withDatabase } from './options'
import type { DbOptions } from './options'
import { rowToUser, USER_COLUMNS } from './users'

/** paginate_users(page_size, offset): the users at positions offset … offset + pageSize - 1. */
export async function paginateUsers(pageSize: number, offset: number, options: DbOptions = {}): Promise<UserDataRow[]> {
  assertPositiveInteger('pageSize', pageSize)
  if (!Number.isInteger(offset) || offset < 0) {
    throw new TypeError(`Expected \`offset\` to be an integer of 0 or more, got ${String(offset)}.`)
  }
  const rows: Array<Record<string, unknown>> = await withDatabase(options, (db) =>
    db.knex('user_data').select(...USER_COLUMNS).orderBy('user_id').limit(pageSize).offset(offset),
  )
  return rows.map(rowToUser)
}

/** lazy_paginate(page_size): yields one page at a time, fetched only when the consumer asks for it. */
export async function* lazyPaginate(pageSize: number, options: DbOptions = {}): AsyncGenerator<UserDataRow[], void, undefined> {
  assertPositiveInteger('pageSize', pageSize)
  const lease = await leaseDatabase(options)
  try {
    let offset = 0
    while (true) {
      const page = await paginateUsers(pageSize, offset, { db: lease.db })
      if (page.length === 0) break
      yield page
      offset += pageSize
    }
  } finally {
    await lease.close()
  }
}

export const lazyPagination = lazyPaginate
