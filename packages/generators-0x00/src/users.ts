import type { UserDataRow } from '@alx/db-core'
import { assertPositiveInteger } from '@alx/db-core'
import { assertDbOptions } from './options'
import type { DbOptions } from './options'

/**
 * The columns of `user_data`, in the order the course's `SELECT *` returns them.
 * @example
 * db.knex('user_data').select(...USER_COLUMNS)
 */
export const USER_COLUMNS = ['user_id', 'name', 'email', 'age'] as const

/**
 * The query `streamUsers` answers: every user in primary-key order, as InnoDB returns the course's `SELECT *`
 * (MySQL streams exactly this; SQLite reads it in keyset chunks).
 * @example
 * await db.knex.raw(SELECT_USERS_SQL)
 */
export const SELECT_USERS_SQL = `SELECT ${USER_COLUMNS.join(', ')} FROM user_data ORDER BY user_id`

/**
 * Builds a `user_data` row from its column values (in `USER_COLUMNS` order), with `age` as a number.
 * @example
 * toUser(['00234e50-34eb-4ce2-94ec-26e3fa749796', 'Dan Altenwerth Jr.', 'Molly59@gmail.com', 67])
 */
export function toUser(values: unknown[]): UserDataRow {
  return { user_id: values[0] as string, name: values[1] as string, email: values[2] as string, age: Number(values[3]) }
}

/**
 * Builds a `user_data` row from a query result row (an object keyed by column), with `age` as a number (MySQL
 * returns DECIMAL columns as strings).
 * @example
 * rowToUser({ user_id: '00234e50-34eb-4ce2-94ec-26e3fa749796', name: 'Dan Altenwerth Jr.', email: 'Molly59@gmail.com', age: '67.00' })
 */
export function rowToUser(row: Readonly<Record<string, unknown>>): UserDataRow {
  return { user_id: row.user_id as string, name: row.name as string, email: row.email as string, age: Number(row.age) }
}

/**
 * Only users strictly older than this are kept by `batchProcessing` (the course's `age > 25`).
 * @example
 * users.filter((u) => u.age > MIN_AGE_EXCLUSIVE)
 */
export const MIN_AGE_EXCLUSIVE = 25

/** Options of the streaming generators. */
export interface StreamOptions extends DbOptions {
  /**
   * Most rows read from the driver ahead of the consumer. On SQLite reads start at 1 row and double up to this,
   * so taking 6 rows reads 7; on MySQL it is the buffer size at which the socket is paused (backpressure).
   * @default 256 (SQLite), 1024 (MySQL)
   */
  readonly readAhead?: number | undefined
  /** Stops the stream when aborted: the pending or next `next()` rejects with the abort reason. */
  readonly signal?: AbortSignal | undefined
}

/**
 * Validates the common options eagerly (at the call, not at the first `next()`).
 * @example
 * checkStreamOptions({ readAhead: 0 }) // TypeError: Expected `readAhead` to be a positive integer, got 0.
 */
export function checkStreamOptions(options: StreamOptions): void {
  assertDbOptions(options)
  if (options.readAhead !== undefined) assertPositiveInteger('readAhead', options.readAhead)
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${String(options.signal)}.`)
  }
}

/**
 * The read-ahead for a dialect: the caller's, or 256 rows on SQLite (synchronous refills) and 1024 on MySQL.
 * @example
 * readAheadFor('mysql', {}) // 1024
 */
export function readAheadFor(dialect: 'sqlite' | 'mysql', options: StreamOptions): number {
  return options.readAhead ?? (dialect === 'sqlite' ? 256 : 1024)
}

/** Options of `streamUsersInBatches` and `batchProcessing`. */
export type BatchOptions = Omit<StreamOptions, 'readAhead'>
