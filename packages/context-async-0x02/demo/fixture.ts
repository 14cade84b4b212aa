// The demos' own fixture: before each demo the `users` table is reset to COURSE_USERS (ids 1–7), so a demo prints
// the same whatever ran before it (another module's demo on the same database) and however often it runs.
import { createUsersTable } from '@alx/db-core'
import type { Database } from '@alx/db-core'
import { COURSE_USERS } from '../src'

/** Makes `users` hold exactly COURSE_USERS, with ids 1… in their order (created if missing). */
export async function resetCourseUsers(db: Database): Promise<void> {
  await createUsersTable(db)
  await db.knex.transaction(async (trx) => {
    await trx('users').del()
    await trx('users').insert(COURSE_USERS.map((u, i) => ({ id: i + 1, ...u })))
  })
}
