import type { UserDataRow } from '@alx/db-core'
import { openCursor } from './cursor'
import { leaseDatabase } from './options'
import { checkStreamOptions, readAheadFor, toUser, USER_COLUMNS } from './users'
import type { StreamOptions } from './users'

/**
 * Yields every `user_data` row as `{ user_id, name, email, age }`, one at a time in primary-key order, lazily:
 * nothing is opened before the first `next()`, rows are read in small synchronous refills as the consumer asks
 * (never more than it already took, at most `readAhead`), and the connection is released when the loop ends,
 * breaks or throws.
 * @throws {TypeError} at the call for a bad option (`readAhead` 0, a `db` that is not a Database).
 * @example
 * for await (const user of streamUsers()) console.log(user.name)
 */
export function streamUsers(options: StreamOptions = {}): AsyncGenerator<UserDataRow, void, undefined> {
  checkStreamOptions(options)
  return generateUsers(options)
}

async function* generateUsers(options: StreamOptions): AsyncGenerator<UserDataRow, void, undefined> {
  const lease = await leaseDatabase(options)
  try {
    const { db } = lease
    const cursor = await openCursor(db, { columns: USER_COLUMNS, ordered: true, readAhead: readAheadFor(db.dialect, options), signal: options.signal, fromRow: toUser })
    try {
      // The one loop: rows come synchronously from the cursor; it awaits only when no row is ready.
      for (;;) {
        const user = cursor.take()
        if (user !== undefined) yield user
        else if (!(await cursor.wait())) return
      }
    } finally {
      await cursor.close()
    }
  } finally {
    await lease.close()
  }
}
