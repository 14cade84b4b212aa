import { createUsersTable } from '@alx/db-core'
import type { Database } from '@alx/db-core'

/** Creates the course's `users` table with `count` users (ids 1…count, age 0). */
export async function usersTable(db: Database, count = 3): Promise<void> {
  await createUsersTable(db)
  for (let i = 1; i <= count; i += 1) {
    await db.knex('users').insert({ id: i, name: `User ${i}`, email: `user${i}@example.com`, age: 0 })
  }
}

/** Rows of `users`, fresh from the database. */
export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.knex('users').count<Array<{ n: number | string }>>({ n: '*' })
  return Number(row?.n ?? 0)
}

/** The ages of users by id, read through knex (not through anything under test). */
export async function agesOf(db: Database): Promise<Record<number, number>> {
  const rows = await db.knex('users').select<Array<{ id: number; age: number }>>('id', 'age').orderBy('id')
  return Object.fromEntries(rows.map((r) => [r.id, Number(r.age)]))
}

/**
 * Checks a driver error by its code, or on SQLite by its message: inside jest, db-core's `runOnRaw` replaces a
 * better-sqlite3 error made in another test file's realm (`instanceof Error` false) with a plain `Error`
 * carrying only the message (reported to db-core; production has one realm and keeps the code).
 */
export function expectDriverError(err: unknown, expected: { readonly sqlite: RegExp; readonly mysql: string }, dialect: string): void {
  if (dialect === 'sqlite') expect(String((err as { message?: unknown }).message)).toMatch(expected.sqlite)
  else expect(err).toMatchObject({ code: expected.mysql })
}
