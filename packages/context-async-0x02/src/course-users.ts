import { createUsersTable } from '@alx/db-core'
import type { Database } from '@alx/db-core'

/**
 * The users the demos and tests start from: ages on both sides of the course's bounds (25 and 40).
 * @example
 * COURSE_USERS.filter((u) => u.age > 40).length // 3
 */
export const COURSE_USERS = [
  { name: 'Ada Lovelace', email: 'ada@example.org', age: 36 },
  { name: 'Grace Hopper', email: 'grace@example.org', age: 85 },
  { name: 'Linus Torvalds', email: 'linus@example.org', age: 54 },
  { name: 'Amara Okafor', email: 'amara@example.org', age: 22 },
  { name: 'Kofi Mensah', email: 'kofi@example.org', age: 41 },
  { name: 'Yuki Tanaka', email: 'yuki@example.org', age: 25 },
  { name: 'Priya Sharma', email: 'priya@example.org', age: 29 },
] as const satisfies readonly { name: string; email: string; age: number }[]

/**
 * Creates the course's `users` table if missing and fills it with `COURSE_USERS` when it is empty.
 * @returns how many users were inserted (0 when the table already had rows).
 * @example
 * await seedCourseUsers(db)
 */
export async function seedCourseUsers(db: Database): Promise<number> {
  await createUsersTable(db)
  return db.knex.transaction(async (trx) => {
    const [row] = await trx('users').count<Array<{ n: number | string }>>({ n: '*' })
    if (Number(row?.n ?? 0) > 0) return 0
    await trx('users').insert(COURSE_USERS)
    return COURSE_USERS.length
  })
}
