import { setTimeout as delay } from 'node:timers/promises'
import { createTestDb } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { newUser, seedUsers, USERS_BY_KEY, waitFor } from '../test/fixtures'
import { followUsers } from './follow-users'

describe('Task 5: followUsers (unit, SQLite)', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDb('sqlite')
    await seedUsers(db)
  })
  afterAll(() => db.close())

  it('yields a burst larger than batchSize in insertion order, fetching full batches back to back', async () => {
    const stop = new AbortController()
    const seen: string[] = []
    const arrived: number[] = []
    const pollMs = 400
    const done = (async () => {
      for await (const user of followUsers({ db, pollMs, batchSize: 4, signal: stop.signal })) {
        seen.push(user.user_id)
        arrived.push(Date.now())
      }
    })()
    try {
      await delay(200)
      const burst = Array.from({ length: 10 }, (_, i) => newUser(100 + i))
      await db.knex('user_data').insert(burst)
      await waitFor(() => seen.length === 10)
      expect(seen).toEqual(burst.map((u) => u.user_id))
      // Three batches (4 + 4 + 2) in one wake-up: no pollMs wait between full batches.
      expect((arrived.at(-1) ?? 0) - (arrived[0] ?? 0)).toBeLessThan(pollMs)
    } finally {
      stop.abort()
      await done
      await db.knex('user_data').where('user_id', 'like', 'e%').delete()
    }
  })

  it('does not yield updates to rows that existed before it started', async () => {
    const stop = new AbortController()
    const seen: string[] = []
    const done = (async () => {
      for await (const user of followUsers({ db, pollMs: 10, signal: stop.signal })) seen.push(user.user_id)
    })()
    try {
      await delay(150)
      await db.knex('user_data').where('user_id', USERS_BY_KEY[0]?.user_id).update({ age: 68 })
      await db.knex('user_data').insert(newUser(200))
      await waitFor(() => seen.length === 1)
      await delay(100)
    } finally {
      stop.abort()
      await done
    }
    expect(seen).toEqual([newUser(200).user_id])
  })

  it('throws a TypeError naming a bad batchSize at the call', () => {
    expect(() => followUsers({ db, batchSize: 0 })).toThrow(new TypeError('Expected `batchSize` to be a positive integer, got 0.'))
  })
})
