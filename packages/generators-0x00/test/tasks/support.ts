// Provided with the graded tests (tasks.json `provided`): known users, a fresh database per dialect for each test,
// and a watch on what a function does with a database (connections taken, SQL sent). Uses only @alx/db-core.
import { createUserDataTable, insertUserRows } from '@alx/db-core'
import type { Database, Dialect, UserDataRow } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'

/** The course's sample rows 1-7, in the order the intranet prints them (their primary-key order). */
export const COURSE_USERS: readonly UserDataRow[] = [
  { user_id: '00234e50-34eb-4ce2-94ec-26e3fa749796', name: 'Dan Altenwerth Jr.', email: 'Molly59@gmail.com', age: 67 },
  { user_id: '006bfede-724d-4cdd-a2a6-59700f40d0da', name: 'Glenda Wisozk', email: 'Miriam21@gmail.com', age: 119 },
  { user_id: '006e1f7f-90c2-45ad-8c1d-1275d594cc88', name: 'Daniel Fahey IV', email: 'Delia.Lesch11@hotmail.com', age: 49 },
  { user_id: '00af05c9-0a86-419e-8c2d-5fb7e899ae1c', name: 'Ronnie Bechtelar', email: 'Sandra19@yahoo.com', age: 22 },
  { user_id: '00cc08cc-62f4-4da1-b8e4-f5d9ef5dbbd4', name: 'Alma Bechtelar', email: 'Shelly_Balistreri22@hotmail.com', age: 102 },
  { user_id: '01187f09-72be-4924-8a2d-150645dcadad', name: 'Jonathon Jones', email: 'Jody.Quigley-Ziemann33@yahoo.com', age: 116 },
  { user_id: '01ab6c5d-7ae2-4968-991a-d63e93d8d025', name: 'Forrest Heaney', email: 'Albert51@hotmail.com', age: 104 },
]

/** Ages on both sides of `age > 25`, inserted out of primary-key order on purpose. */
export const BOUNDARY_USERS: readonly UserDataRow[] = [
  { user_id: 'f0000000-0000-4000-8000-000000000004', name: "Shaquille O'Neal", email: 'big.aristotle@example.org', age: 26 },
  { user_id: 'a0000000-0000-4000-8000-000000000001', name: 'Exactly Twentyfive', email: 'exactly25@example.org', age: 25 },
  { user_id: 'c0000000-0000-4000-8000-000000000003', name: 'Just Under', email: 'under25@example.org', age: 24.99 },
  { user_id: 'b0000000-0000-4000-8000-000000000002', name: 'Just Over', email: 'over25@example.org', age: 25.5 },
]

/** Every known user, in insertion order (not key order). */
export const ALL_USERS: readonly UserDataRow[] = [...COURSE_USERS, ...BOUNDARY_USERS]

/** `rows` sorted by `user_id`: the order every reader of `user_data` must return. */
export function byKey(rows: readonly UserDataRow[]): UserDataRow[] {
  return [...rows].sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0))
}

/** A made-up user whose id sorts after every known one (or first, with `first`). */
export function newUser(n: number, options: { readonly age?: number; readonly first?: boolean } = {}): UserDataRow {
  const prefix = options.first === true ? '00000000' : `e${String(n).padStart(7, '0')}`
  return { user_id: `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `New User ${n}`, email: `new${n}@example.org`, age: options.age ?? 30 }
}

/** Creates `user_data` (if missing) and inserts `rows`. */
export async function seedUsers(db: Database, rows: readonly UserDataRow[]): Promise<void> {
  await createUserDataTable(db)
  await insertUserRows(db.knex, rows)
}

/** Drains an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Prefixes a failure with the dialect it happened on, keeping jest's expected/received details. */
function onDialect(err: unknown, dialect: Dialect): unknown {
  if (!(err instanceof Error)) return new Error(`on ${dialect}: ${String(err)}`)
  const prefix = `on ${dialect}: `
  const { message } = err
  // V8 renders `stack` on first read, from the message of that moment: read it before changing the message.
  const stack = err.stack
  err.message = prefix + message
  if (typeof stack === 'string') err.stack = stack.includes(message) ? stack.replace(message, prefix + message) : prefix + stack
  return err
}

/**
 * Runs `check` once per dialect: SQLite always, MariaDB/MySQL when `MYSQL_URL` is set; a failure names its dialect.
 * @example
 * await forEachDialect(async (dialect) => { … })
 */
export async function forEachDialect(check: (dialect: Dialect) => Promise<void>): Promise<void> {
  for (const dialect of testDialects()) {
    try {
      await check(dialect)
    } catch (err) {
      throw onDialect(err, dialect)
    }
  }
}

/**
 * Runs `check` once per dialect, each time on a fresh database holding `user_data` with `rows` (no table at all
 * with `rows: null`), closed and dropped afterwards; a failure names its dialect.
 * @example
 * await onEachDialect(COURSE_USERS, async (db) => expect(await collect(streamUsers({ db }))).toEqual(COURSE_USERS))
 */
export async function onEachDialect(rows: readonly UserDataRow[] | null, check: (db: TestDatabase, dialect: Dialect) => Promise<void>): Promise<void> {
  await forEachDialect(async (dialect) => {
    const db = await createTestDb(dialect)
    try {
      if (rows !== null) await seedUsers(db, rows)
      await check(db, dialect)
    } finally {
      await db.close()
    }
  })
}

/** What a function did with a database while watched. */
export interface DatabaseWatch {
  /** Connections taken from the handle's pool (by knex or by @alx/db-core's streams) since the watch started. */
  readonly acquired: number
  /** Every SQL text sent to the driver on those connections (knex queries, prepared statements, streams). */
  readonly statements: readonly string[]
  stop(): void
}

type Method = (this: unknown, ...args: unknown[]) => unknown

function sqlOf(arg: unknown): string {
  if (typeof arg === 'string') return arg
  if (typeof arg === 'object' && arg !== null && typeof (arg as { sql?: unknown }).sql === 'string') return (arg as { sql: string }).sql
  return String(arg)
}

/**
 * Watches every connection `db` hands out: counts them, and records the SQL sent on them (SQLite `prepare`/`exec`,
 * MySQL `query`/`execute`), whatever sends it.
 * @example
 * const watch = watchDatabase(db); await calculateAverageAge({ db }); watch.stop(); watch.statements
 */
export function watchDatabase(db: Database): DatabaseWatch {
  const client = db.knex.client as { acquireConnection: (...args: unknown[]) => Promise<unknown> }
  const ownAcquire = Object.prototype.hasOwnProperty.call(client, 'acquireConnection')
  const acquire = client.acquireConnection
  const statements: string[] = []
  const undo: Array<() => void> = []
  const wrapped = new WeakSet<object>()
  let acquired = 0
  let stopped = false
  const wrap = (conn: unknown): void => {
    if (typeof conn !== 'object' || conn === null || wrapped.has(conn)) return
    wrapped.add(conn)
    const target = conn as Record<string, unknown>
    for (const name of ['prepare', 'exec', 'query', 'execute']) {
      const original = target[name]
      if (typeof original !== 'function' || Object.prototype.hasOwnProperty.call(target, name)) continue
      target[name] = function (this: unknown, ...args: unknown[]): unknown {
        if (!stopped) statements.push(sqlOf(args[0]))
        return (original as Method).apply(this, args)
      }
      undo.push(() => {
        delete target[name]
      })
    }
  }
  client.acquireConnection = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
    const conn = await acquire.apply(this, args)
    if (!stopped) {
      acquired++
      wrap(conn)
    }
    return conn
  }
  return {
    get acquired() {
      return acquired
    },
    statements,
    stop() {
      stopped = true
      for (const step of undo) step()
      if (ownAcquire) client.acquireConnection = acquire
      else delete (client as Partial<typeof client>).acquireConnection
    },
  }
}

/**
 * Runs `start` (which should only create a generator), waits a little, and returns what reached the database
 * meanwhile: a lazy generator has taken no connection and sent no SQL.
 */
export async function touchedBeforeNext<T>(db: Database, start: () => T): Promise<{ value: T; acquired: number; statements: readonly string[] }> {
  const watch = watchDatabase(db)
  try {
    const value = start()
    await sleep(30)
    return { value, acquired: watch.acquired, statements: [...watch.statements] }
  } finally {
    watch.stop()
  }
}

/** Resolves to the error `work` throws or rejects with (at the call or later), or fails when it succeeds. */
export async function errorOf(work: () => unknown): Promise<unknown> {
  try {
    const result = work()
    if (typeof result === 'object' && result !== null && Symbol.asyncIterator in result) {
      const iterator = result as unknown as AsyncIterator<unknown>
      await iterator.next()
      await iterator.return?.(undefined)
    } else {
      await result
    }
  } catch (err) {
    return err
  }
  throw new Error('expected an error (a TypeError), but nothing was thrown')
}
