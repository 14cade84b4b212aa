import { openCursor } from './cursor'
import { leaseDatabase } from './options'
import { checkStreamOptions, readAheadFor } from './users'
import type { StreamOptions } from './users'

/**
 * Yields the `age` of every user, one number at a time, lazily and in constant memory (a cursor over
 * `SELECT age FROM user_data`, read in small synchronous refills as the consumer asks).
 * @throws {TypeError} at the call for a bad option.
 * @example
 * for await (const age of streamUserAges()) console.log(age)
 */
export function streamUserAges(options: StreamOptions = {}): AsyncGenerator<number, void, undefined> {
  checkStreamOptions(options)
  return generateAges(options)
}

async function* generateAges(options: StreamOptions): AsyncGenerator<number, void, undefined> {
  const lease = await leaseDatabase(options)
  try {
    const { db } = lease
    const cursor = await openCursor(db, { columns: ['age'], ordered: false, readAhead: readAheadFor(db.dialect, options), signal: options.signal, fromValue: Number })
    try {
      for (;;) {
        const age = cursor.take()
        if (age !== undefined) yield age
        else if (!(await cursor.wait())) return
      }
    } finally {
      await cursor.close()
    }
  } finally {
    await lease.close()
  }
}

/**
 * The mean age of all users, computed from `streamUserAges()` with a running sum and count (never SQL `AVG`,
 * never the whole table in memory); 0 for an empty table.
 * @example
 * console.log(`Average age of users: ${(await calculateAverageAge()).toFixed(2)}`)
 */
export async function calculateAverageAge(options: StreamOptions = {}): Promise<number> {
  let sum = 0
  let count = 0
  for await (const age of streamUserAges(options)) {
    sum += age
    count++
  }
  return count === 0 ? 0 : sum / count
}
