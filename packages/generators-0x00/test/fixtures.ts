// Known rows for the tests: the course's sample rows, plus ages on both sides of the `age > 25` boundary.
import { setTimeout as delay } from 'node:timers/promises'
import type { Database, UserDataRow } from '@alx/db-core'
import { collect, seedUsers as seedTaskUsers } from './tasks/support'

export const KNOWN_USERS: readonly UserDataRow[] = [
  { user_id: '00234e50-34eb-4ce2-94ec-26e3fa749796', name: 'Dan Altenwerth Jr.', email: 'Molly59@gmail.com', age: 67 },
  { user_id: '006bfede-724d-4cdd-a2a6-59700f40d0da', name: 'Glenda Wisozk', email: 'Miriam21@gmail.com', age: 119 },
  { user_id: '006e1f7f-90c2-45ad-8c1d-1275d594cc88', name: 'Daniel Fahey IV', email: 'Delia.Lesch11@hotmail.com', age: 49 },
  { user_id: '00af05c9-0a86-419e-8c2d-5fb7e899ae1c', name: 'Ronnie Bechtelar', email: 'Sandra19@yahoo.com', age: 22 },
  { user_id: '00cc08cc-62f4-4da1-b8e4-f5d9ef5dbbd4', name: 'Alma Bechtelar', email: 'Shelly_Balistreri22@hotmail.com', age: 102 },
  { user_id: '01187f09-72be-4924-8a2d-150645dcadad', name: 'Jonathon Jones', email: 'Jody.Quigley-Ziemann33@yahoo.com', age: 116 },
  { user_id: '01ab6c5d-7ae2-4968-991a-d63e93d8d025', name: 'Forrest Heaney', email: 'Albert51@hotmail.com', age: 104 },
  // Inserted out of key order on purpose: every reader must return primary-key order.
  { user_id: 'f0000000-0000-4000-8000-000000000004', name: "Shaquille O'Neal", email: 'big.aristotle@example.org', age: 26 },
  { user_id: 'a0000000-0000-4000-8000-000000000001', name: 'Exactly Twentyfive', email: 'exactly25@example.org', age: 25 },
  { user_id: 'c0000000-0000-4000-8000-000000000003', name: 'Just Under', email: 'under25@example.org', age: 24.99 },
  { user_id: 'b0000000-0000-4000-8000-000000000002', name: 'Just Over', email: 'over25@example.org', age: 25.5 },
]

/** The known users in primary-key order (what every reader must yield). */
export const USERS_BY_KEY: readonly UserDataRow[] = [...KNOWN_USERS].sort((a, b) => (a.user_id < b.user_id ? -1 : 1))

/** Creates `user_data` and inserts `rows` (the known users by default), as the graded tests' provided support does. */
export async function seedUsers(db: Database, rows: readonly UserDataRow[] = KNOWN_USERS): Promise<void> {
  await seedTaskUsers(db, rows)
}

export { collect }

/** Waits until `condition()` holds, polling every 10 ms, or throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await delay(10)
  }
}

/** A made-up user with a given id suffix, for rows inserted during a test. */
export function newUser(n: number, age = 30): UserDataRow {
  return { user_id: `e${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`, name: `New User ${n}`, email: `new${n}@example.org`, age }
}
