import { assertPositiveInteger } from '@alx/db-core'
import type { UserDataRow } from '@alx/db-core'
import { openCursor } from './cursor'
import { leaseDatabase } from './options'
import { checkStreamOptions, MIN_AGE_EXCLUSIVE, toUser, USER_COLUMNS } from './users'
import type { BatchOptions } from './users'

/**
 * Yields `user_data` in primary-key order as arrays of at most `batchSize` rows (none empty, only the last may
 * be shorter); each batch is read from one open cursor only when asked for, like the original's `fetchmany`.
 * @throws {TypeError} at the call when `batchSize` is not a positive integer.
 * @example
 * for await (const batch of streamUsersInBatches(50)) console.log(batch.length)
 */
export function streamUsersInBatches(batchSize: number, options: BatchOptions = {}): AsyncGenerator<UserDataRow[], void, undefined> {
  assertPositiveInteger('batchSize', batchSize)
  checkStreamOptions(options)
  return generateBatches(batchSize, options)
}

async function* generateBatches(batchSize: number, options: BatchOptions): AsyncGenerator<UserDataRow[], void, undefined> {
  const lease = await leaseDatabase(options)
  try {
    const cursor = await openCursor(lease.db, { columns: USER_COLUMNS, ordered: true, readAhead: batchSize, signal: options.signal, fromRow: toUser })
    try {
      let batch: UserDataRow[] = []
      for (;;) {
        const rows = cursor.takeMany(batchSize - batch.length)
        if (batch.length === 0) batch = rows
        else for (const row of rows) batch.push(row)
        if (batch.length === batchSize) {
          yield batch
          batch = []
        } else if (!(await cursor.wait())) {
          if (batch.length > 0) yield batch
          return
        }
      }
    } finally {
      await cursor.close()
    }
  } finally {
    await lease.close()
  }
}

/**
 * Yields, one at a time, the users older than 25 (strictly: `age > 25`) from `streamUsersInBatches(batchSize)`;
 * the original printed them, its demo here prints what this yields.
 * @throws {TypeError} at the call when `batchSize` is not a positive integer.
 * @example
 * for await (const user of batchProcessing(50)) console.log(user)
 */
export function batchProcessing(batchSize: number, options: BatchOptions = {}): AsyncGenerator<UserDataRow, void, undefined> {
  const batches = streamUsersInBatches(batchSize, options)
  return filterOlder(batches)
}

async function* filterOlder(batches: AsyncGenerator<UserDataRow[], void, undefined>): AsyncGenerator<UserDataRow, void, undefined> {
  // Closing this generator early closes `batches` too: `for await` calls its return() on break.
  for await (const batch of batches) {
    for (const user of batch) {
      if (user.age > MIN_AGE_EXCLUSIVE) yield user
    }
  }
}
