// Shared by the graded task tests (test/tasks/task-*.test.ts); provided to learners as is.
import type { Database, UsersRow } from '@alx/db-core'
import { createTestDb } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { onConnection, onStatement } from '../../src/async-connection'
import type { StatementEvent } from '../../src/async-connection'
import { COURSE_USERS, seedCourseUsers } from '../../src/course-users'

/** The users `seedCourseUsers` inserts, as the database returns them (ids 1…7 in insertion order). */
export const SEEDED_USERS: readonly UsersRow[] = COURSE_USERS.map((user, i) => ({ id: i + 1, ...user }))

export function olderThan(age: number): UsersRow[] {
  return SEEDED_USERS.filter((user) => (user.age ?? 0) > age)
}

/** Rows sorted by id, numbers as numbers (MariaDB and SQLite agree on the rest). */
export function byId(rows: readonly UsersRow[]): UsersRow[] {
  return [...rows].sort((a, b) => Number(a.id) - Number(b.id))
}

/** A fresh database of its own holding the course's `users` table with the seven seeded users. */
export async function seededDb(dialect: Database['dialect']): Promise<TestDatabase> {
  const db = await createTestDb(dialect)
  await seedCourseUsers(db)
  return db
}

/** What is in `users` right now, read through the test's own handle (another connection), by id. */
export async function usersNow(db: Database): Promise<UsersRow[]> {
  return byId(await db.knex<UsersRow>('users').select('*'))
}

/** Puts `users` back to the seven seeded users (tests that write call it first). */
export async function resetUsers(db: Database): Promise<void> {
  await db.knex('users').del()
  await db.knex('users').insert(SEEDED_USERS.map((user) => ({ ...user })))
}

/** Connections opened and closed through the provided `AsyncConnection` while the watcher is on. */
export interface ConnectionWatch extends Disposable {
  readonly opened: number[]
  readonly closed: number[]
  /** Ids opened and not closed yet. */
  stillOpen(): number[]
}

export function watchConnections(): ConnectionWatch {
  const opened: number[] = []
  const closed: number[] = []
  const off = onConnection((event) => (event.type === 'open' ? opened : closed).push(event.id))
  return {
    opened,
    closed,
    stillOpen: () => opened.filter((id) => !closed.includes(id)),
    [Symbol.dispose]: off,
  }
}

/** Statements seen by the provided `AsyncConnection` while the watcher is on. */
export interface StatementWatch extends Disposable {
  readonly events: StatementEvent[]
  /** One entry per statement: its connection, SQL, and when it was issued and settled. */
  intervals(): Array<{ connectionId: number; sql: string; start: number; end: number }>
}

export function watchStatements(): StatementWatch {
  const events: StatementEvent[] = []
  const off = onStatement((event) => events.push(event))
  return {
    events,
    intervals: () => {
      const open = new Map<string, StatementEvent[]>()
      const done: Array<{ connectionId: number; sql: string; start: number; end: number }> = []
      for (const event of events) {
        const key = `${event.connectionId}\u0000${event.sql}`
        if (event.type === 'start') {
          open.set(key, [...(open.get(key) ?? []), event])
        } else {
          const started = open.get(key)?.shift()
          if (started) done.push({ connectionId: event.connectionId, sql: event.sql, start: started.at, end: event.at })
        }
      }
      return done
    },
    [Symbol.dispose]: off,
  }
}

/** Waits until `check()` is true, up to `ms`; returns the last result. */
export async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  const deadline = performance.now() + ms
  while (!check()) {
    if (performance.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return true
}

let stepsPerMs: number | undefined

/** How many recursive-CTE steps SQLite runs per millisecond here (the fastest of a few runs on the main thread). */
async function cteStepsPerMs(db: Database): Promise<number> {
  if (stepsPerMs === undefined) {
    let best = 0
    for (let run = 0; run < 3; run++) {
      const start = performance.now()
      await db.knex.raw('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT count(*) AS n FROM c')
      best = Math.max(best, 200_000 / (performance.now() - start))
    }
    stepsPerMs = best
  }
  return stepsPerMs
}

/**
 * Replaces `users` with a view of one user (`Slow Sam`, 41) that takes at least about `ms` to read: `SLEEP` on
 * MariaDB, a recursive CTE sized for this machine on SQLite (slower, never faster, on a busy machine).
 */
export async function makeUsersSlow(db: Database, ms: number): Promise<void> {
  await db.knex.raw('DROP VIEW IF EXISTS users')
  await db.knex.schema.dropTableIfExists('users')
  if (db.dialect === 'mysql') {
    await db.knex.raw(`CREATE VIEW users AS SELECT 1 AS id, 'Slow Sam' AS name, 'sam@example.org' AS email, 41 + SLEEP(${ms / 1000}) AS age`)
  } else {
    const steps = Math.round(ms * (await cteStepsPerMs(db)))
    await db.knex.raw(
      `CREATE VIEW users AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${steps}) ` +
        `SELECT 1 AS id, 'Slow Sam' AS name, 'sam@example.org' AS email, 41 + n % 1 AS age FROM (SELECT count(*) AS n FROM c)`,
    )
  }
}

/** The one row of the slow `users` view. */
export const SLOW_SAM: UsersRow = { id: 1, name: 'Slow Sam', email: 'sam@example.org', age: 41 }

/** Sets DATABASE_URL for the duration of `fn`, then restores it. */
export async function withDatabaseUrl<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.DATABASE_URL
  process.env.DATABASE_URL = url
  try {
    return await fn()
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL
    else process.env.DATABASE_URL = saved
  }
}

/** Throws `message` (what the learner reads in the grade) unless `ok`. */
export function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message)
}

/** The engines by name, as failure messages say them. */
export const ENGINE = { sqlite: 'SQLite', mysql: 'MariaDB' } as const satisfies Record<Database['dialect'], string>

/**
 * Runs `fn` once per engine under test (SQLite always, MariaDB when `MYSQL_URL` is set), so one test title covers
 * both; a failure says which engine it happened on.
 */
export async function onEachDatabase<E extends { readonly dialect: Database['dialect'] }>(envs: readonly E[], fn: (env: E) => Promise<void>): Promise<void> {
  if (envs.length === 0) throw new Error('no database was set up for this test (beforeAll failed?)')
  for (const env of envs) {
    try {
      await fn(env)
    } catch (err) {
      if (err instanceof Error) {
        const prefix = `on ${ENGINE[env.dialect]}: `
        // jest prints the message from the stack's first lines when there is a stack, else the message
        if (err.stack?.includes(err.message)) err.stack = err.stack.replace(err.message, prefix + err.message)
        err.message = prefix + err.message
      }
      throw err
    }
  }
}
