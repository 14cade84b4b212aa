import type { Database, Dialect, UsersRow } from '@alx/db-core'
import { COURSE_USERS } from '../../src'

/** The seeded course users as the database returns them, ids in insertion order. */
export function expectedUsers(): UsersRow[] {
  return COURSE_USERS.map((u, i) => ({ id: i + 1, ...u }))
}

export function byId(rows: readonly UsersRow[]): UsersRow[] {
  return [...rows].sort((a, b) => a.id - b.id)
}

/**
 * A statement that keeps its connection busy for a while: on SQLite a recursive CTE (CPU in SQLite's VM), on
 * MariaDB `SLEEP`. `rows` makes the CTE return every row instead of one count (so it can be cancelled between rows).
 */
export function slowQuery(dialect: Dialect, options: { readonly ms?: number; readonly rows?: boolean } = {}): string {
  const ms = options.ms ?? 300
  if (dialect === 'mysql') return `SELECT SLEEP(${ms / 1000}) AS n`
  // about 2.5M CTE steps per second on this machine; the exact time does not matter, only that it is long
  const steps = Math.round(ms * 2500)
  const cte = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${steps})`
  return options.rows ? `${cte} SELECT x FROM c` : `${cte} SELECT count(*) AS n FROM c`
}

/** Replaces `users` with a view holding one user that takes about `ms` to read, so the course queries are slow. */
export async function createSlowUsersView(db: Database, ms: number): Promise<void> {
  await db.knex.schema.dropTableIfExists('users')
  if (db.dialect === 'mysql') {
    await db.knex.raw(`CREATE VIEW users AS SELECT 1 AS id, 'Slow Sam' AS name, 'sam@example.org' AS email, 41 + SLEEP(${ms / 1000}) AS age`)
  } else {
    const steps = Math.round(ms * 2500)
    await db.knex.raw(
      `CREATE VIEW users AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${steps}) ` +
        `SELECT 1 AS id, 'Slow Sam' AS name, 'sam@example.org' AS email, 41 + n % 1 AS age FROM (SELECT count(*) AS n FROM c)`,
    )
  }
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now()
  const result = await fn()
  return { result, ms: performance.now() - start }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

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
