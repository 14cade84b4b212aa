// Task 4 (the course's 4-stream_ages.py): stream the ages and average them without SQL AVG.
import { streamRows } from '@alx/db-core'
import { leaseDatabase } from './options'
import type { DbOptions } from './options'

/** stream_user_ages(): yields the age of every user, one at a time. */
export async function* streamUserAges(options: DbOptions = {}): AsyncGenerator<number, void, undefined> {
  const lease = await leaseDatabase(options)
  try {
    for await (const row of streamRows<{ age: unknown }>(lease.db, 'SELECT age FROM user_data')) {
      yield Number(row.age)
    }
  } finally {
    await lease.close()
  }
}

/** The mean age, from a running sum and count; 0 for an empty table. */
export async function calculateAverageAge(options: DbOptions = {}): Promise<number> {
  let sum = 0
  let count = 0
  for await (const age of streamUserAges(options)) {
    sum += age
    count += 1
  }
  if (count === 0) return 0
  return sum / count
}
