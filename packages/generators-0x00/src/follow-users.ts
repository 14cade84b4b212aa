import { setTimeout as sleep } from 'node:timers/promises'
import { assertPositiveInteger } from '@alx/db-core'
import type { Database, UserDataRow } from '@alx/db-core'
import { openCursor } from './cursor'
import { leaseDatabase } from './options'
import { checkStreamOptions, rowToUser, USER_COLUMNS } from './users'
import type { StreamOptions } from './users'

/** Options of `followUsers`. */
export interface FollowUsersOptions extends Omit<StreamOptions, 'readAhead'> {
  /**
   * Milliseconds between polls when no new row was found.
   * @default 1000
   */
  readonly pollMs?: number | undefined
  /**
   * Most rows fetched per query; a full batch is followed at once by the next query, without waiting.
   * @default 1000
   */
  readonly batchSize?: number | undefined
}

/**
 * Follows `user_data` live: yields each user inserted (and committed) after the follower started — when the
 * first `next()` ran — exactly once, polling every `pollMs`, until `signal` aborts, which ends the loop
 * quietly (`done`), also while it waits. On SQLite new rows are found by `rowid` (insertion order, one indexed
 * query per poll); MySQL tables have no insertion order, so there it compares the set of ids with the one it
 * has seen (one id scan per poll, memory for every id).
 * @throws {TypeError} at the call when `pollMs` or `batchSize` is not a positive integer.
 * @example
 * const stop = new AbortController()
 * for await (const user of followUsers({ pollMs: 500, signal: stop.signal })) console.log('new user', user.name)
 */
export function followUsers(options: FollowUsersOptions = {}): AsyncGenerator<UserDataRow, void, undefined> {
  checkStreamOptions(options)
  const pollMs = options.pollMs ?? 1000
  const batchSize = options.batchSize ?? 1000
  assertPositiveInteger('pollMs', pollMs)
  assertPositiveInteger('batchSize', batchSize)
  return generateFollow(pollMs, batchSize, options)
}

/** Finds the rows that are new since the previous call; the first call only records what exists. */
type NewRowsFinder = (batchSize: number) => Promise<{ rows: UserDataRow[]; more: boolean }>

async function* generateFollow(pollMs: number, batchSize: number, options: FollowUsersOptions): AsyncGenerator<UserDataRow, void, undefined> {
  const { signal } = options
  if (signal?.aborted) return
  const lease = await leaseDatabase(options)
  // An abort ends the loop quietly, wherever it lands: between polls, or during a poll's scan (MySQL passes the
  // signal to its cursor, which then rejects with the AbortError).
  const unlessAborted = async <T>(work: Promise<T>): Promise<T | undefined> => {
    try {
      return await work
    } catch (err) {
      if (signal?.aborted) return undefined
      throw err
    }
  }
  try {
    const findNew = (lease.db.dialect === 'sqlite' ? await byRowid(lease.db) : undefined) ?? (await unlessAborted(byIdSet(lease.db, signal)))
    if (findNew === undefined) return
    for (;;) {
      if (signal?.aborted) return
      const found = await unlessAborted(findNew(batchSize))
      if (found === undefined) return
      const { rows, more } = found
      for (const row of rows) yield row
      if (more) continue
      try {
        await sleep(pollMs, undefined, signal ? { signal } : {})
      } catch (err) {
        if (signal?.aborted) return
        throw err
      }
    }
  } finally {
    await lease.close()
  }
}

/** New rows by rowid (SQLite's insertion order); `undefined` for a WITHOUT ROWID table. */
async function byRowid(db: Database): Promise<NewRowsFinder | undefined> {
  const { knex } = db
  let start: Array<{ last: number | null }>
  try {
    start = await knex('user_data').select(knex.raw('max(rowid) AS last'))
  } catch (err) {
    if (/no such column: rowid/i.test((err as Error).message)) return undefined
    throw err
  }
  let last = start[0]?.last ?? 0
  return async (batchSize) => {
    const rows = (await knex('user_data')
      .select(knex.raw('rowid AS row_number'), ...USER_COLUMNS)
      .whereRaw('rowid > ?', [last])
      .orderByRaw('rowid')
      .limit(batchSize)) as Array<Record<string, unknown> & { row_number: number }>
    const tail = rows[rows.length - 1]
    if (tail) last = tail.row_number
    return { rows: rows.map(rowToUser), more: rows.length === batchSize }
  }
}

async function byIdSet(db: Database, signal: AbortSignal | undefined): Promise<NewRowsFinder> {
  const seen = new Set<string>()
  const scanIds = async (onId: (id: string) => void): Promise<void> => {
    const cursor = await openCursor(db, { columns: ['user_id'], ordered: false, readAhead: 4096, signal, fromValue: String })
    try {
      for (;;) {
        const id = cursor.take()
        if (id !== undefined) onId(id)
        else if (!(await cursor.wait())) return
      }
    } finally {
      await cursor.close()
    }
  }
  await scanIds((id) => seen.add(id))
  let pending: string[] = []
  return async (batchSize) => {
    if (pending.length === 0) {
      await scanIds((id) => {
        if (!seen.has(id)) pending.push(id)
      })
    }
    const ids = pending.slice(0, batchSize)
    pending = pending.slice(ids.length)
    if (ids.length === 0) return { rows: [], more: false }
    // A row deleted since the scan is simply not returned; its id is still marked seen, so never yielded later.
    const rows = (await db.knex('user_data').select(...USER_COLUMNS).whereIn('user_id', ids).orderBy('user_id')) as Record<string, unknown>[]
    for (const id of ids) seen.add(id)
    return { rows: rows.map(rowToUser), more: pending.length > 0 }
  }
}
