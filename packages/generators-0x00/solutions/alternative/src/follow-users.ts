// Task 5 (advanced): follow the users inserted while the generator runs, until the signal aborts.
import { setTimeout as sleep } from 'node:timers/promises'
import { assertPositiveInteger, streamRows } from '@alx/db-core'
import type { Database, UserDataRow } from '@alx/db-core'
import { leaseDatabase } from './options'
import type { DbOptions } from './options'
import { rowToUser, USER_COLUMNS } from './users'

export interface FollowUsersOptions extends DbOptions {
  /** Milliseconds between two looks at the table. @default 1000 */
  readonly pollMs?: number | undefined
  /** Ends the generator when aborted. */
  readonly signal?: AbortSignal | undefined
  /** Optional: most rows fetched per query. @default 1000 */
  readonly batchSize?: number | undefined
}

/** Waits `ms`; resolves false (instead of throwing) when the signal aborts meanwhile. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {})
    return true
  } catch (err) {
    if (signal?.aborted) return false
    throw err
  }
}

/** SQLite: rows come in rowid order, so remember the last rowid seen. */
async function* followSqlite(db: Database, pollMs: number, batchSize: number, signal: AbortSignal | undefined): AsyncGenerator<UserDataRow, void, undefined> {
  const start: Array<{ last: unknown }> = await db.knex('user_data').max('rowid as last')
  let lastRowid = Number(start[0]?.last ?? 0)
  let fullBatch = false
  while (true) {
    // After a full batch there may be more rows waiting: look again at once.
    if (!fullBatch && !(await pause(pollMs, signal))) return
    if (signal?.aborted) return
    const rows: Array<Record<string, unknown>> = await db
      .knex('user_data')
      .select('rowid as row_number', ...USER_COLUMNS)
      .where('rowid', '>', lastRowid)
      .orderBy('rowid')
      .limit(batchSize)
    fullBatch = rows.length === batchSize
    for (const row of rows) {
      lastRowid = Number(row.row_number)
      yield rowToUser(row)
    }
  }
}

/** MySQL: no insertion order, so remember every user_id seen. */
async function* followMysql(db: Database, pollMs: number, batchSize: number, signal: AbortSignal | undefined): AsyncGenerator<UserDataRow, void, undefined> {
  const seen = new Set<string>()
  for await (const row of streamRows<{ user_id: string }>(db, 'SELECT user_id FROM user_data', { batchSize })) {
    seen.add(row.user_id)
  }
  while (true) {
    if (!(await pause(pollMs, signal))) return
    if (signal?.aborted) return
    // Collect the new users first, so the connection is given back before we yield.
    const fresh: UserDataRow[] = []
    const query = db.knex('user_data').select(...USER_COLUMNS)
    for await (const row of streamRows<Record<string, unknown>>(db, query, { batchSize })) {
      const user = rowToUser(row)
      if (!seen.has(user.user_id)) {
        seen.add(user.user_id)
        fresh.push(user)
      }
    }
    for (const user of fresh) yield user
  }
}

export async function* followUsers(options: FollowUsersOptions = {}): AsyncGenerator<UserDataRow, void, undefined> {
  const pollMs = options.pollMs ?? 1000
  const batchSize = options.batchSize ?? 1000
  assertPositiveInteger('pollMs', pollMs)
  assertPositiveInteger('batchSize', batchSize)
  const signal = options.signal
  if (signal?.aborted) return
  const lease = await leaseDatabase(options)
  try {
    if (lease.db.dialect === 'sqlite') {
      yield* followSqlite(lease.db, pollMs, batchSize, signal)
    } else {
      yield* followMysql(lease.db, pollMs, batchSize, signal)
    }
  } finally {
    await lease.close()
  }
}
