// Task 1 (the course's 0-stream_users.py): a generator that yields the users one by one.
import { streamRows } from '@alx/db-core'
import type { UserDataRow } from '@alx/db-core'
import { leaseDatabase } from './options'
import type { DbOptions } from './options'
import { rowToUser, USER_COLUMNS } from './users'

export async function* streamUsers(options: DbOptions = {}): AsyncGenerator<UserDataRow, void, undefined> {
  const lease = await leaseDatabase(options)
  try {
    const query = lease.db.knex('user_data').select(...USER_COLUMNS).orderBy('user_id')
    for await (const row of streamRows<Record<string, unknown>>(lease.db, query)) {
      yield rowToUser(row)
    }
  } finally {
    await lease.close()
  }
}
