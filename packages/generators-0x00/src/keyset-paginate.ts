import { assertPositiveInteger, keysetPages } from '@alx/db-core'
import type { UserDataRow } from '@alx/db-core'
import { assertDbOptions, leaseDatabase } from './options'
import type { DbOptions } from './options'
import { rowToUser, USER_COLUMNS } from './users'

/** Options of `lazyPaginateByKey`. */
export interface KeyPaginateOptions extends DbOptions {
  /** Resume after this `user_id` (exclusive), e.g. the last id of a page you already have. @default from the first row */
  readonly after?: string | undefined
}

/**
 * Keyset pagination (beyond the course): yields pages of `pageSize` users in primary-key order, each fetched only
 * when asked for with `WHERE user_id > <last id> ORDER BY user_id LIMIT pageSize` — an index seek per page, so
 * reading the whole table is linear, where OFFSET pages rescan every skipped row (quadratic). Stops after a short
 * page.
 * @throws {TypeError} at the call when `pageSize` is not a positive integer.
 * @example
 * for await (const page of lazyPaginateByKey(1000)) console.log(page[0]?.user_id)
 */
export function lazyPaginateByKey(pageSize: number, options: KeyPaginateOptions = {}): AsyncGenerator<UserDataRow[], void, undefined> {
  assertPositiveInteger('pageSize', pageSize)
  assertDbOptions(options)
  if (options.after !== undefined && typeof options.after !== 'string') {
    throw new TypeError(`Expected \`after\` to be a user_id string, got ${String(options.after)}.`)
  }
  return generateKeyPages(pageSize, options)
}

async function* generateKeyPages(pageSize: number, options: KeyPaginateOptions): AsyncGenerator<UserDataRow[], void, undefined> {
  const lease = await leaseDatabase(options)
  try {
    const pages = keysetPages(lease.db, 'user_data', { key: 'user_id', pageSize, columns: USER_COLUMNS, ...(options.after === undefined ? {} : { after: options.after }) })
    for await (const page of pages) yield page.map(rowToUser)
  } finally {
    await lease.close()
  }
}
