// Task 2 (the course's 1-batch_processing.py): users in batches, then only those older than 25.
import { assertPositiveInteger, streamBatches } from '@alx/db-core'
import type { UserDataRow } from '@alx/db-core'
import { leaseDatabase } from './options'
import type { DbOptions } from './options'
import { MIN_AGE_EXCLUSIVE, rowToUser, USER_COLUMNS } from './users'

/** stream_users_in_batches(batch_size): yields arrays of batchSize users (the last may be shorter). */
export async function* streamUsersInBatches(batchSize: number, options: DbOptions = {}): AsyncGenerator<UserDataRow[], void, undefined> {
  assertPositiveInteger('batchSize', batchSize)
  const lease = await leaseDatabase(options)
  try {
    const query = lease.db.knex('user_data').select(...USER_COLUMNS).orderBy('user_id')
    for await (const rows of streamBatches<Record<string, unknown>>(lease.db, query, { batchSize })) {
      yield rows.map(rowToUser)
    }
  } finally {
    await lease.close()
  }
}

/** batch_processing(batch_size): yields every user with age > 25, one at a time. */
export async function* batchProcessing(batchSize: number, options: DbOptions = {}): AsyncGenerator<UserDataRow, void, undefined> {
  for await (const batch of streamUsersInBatches(batchSize, options)) {
    for (const user of batch) {
      if (user.age > MIN_AGE_EXCLUSIVE) yield user
    }
  }
}
