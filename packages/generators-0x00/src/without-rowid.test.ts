import { setTimeout as delay } from 'node:timers/promises'
import { insertUserRows } from '@alx/db-core'
import { createTestDb } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { collect, KNOWN_USERS, newUser, USERS_BY_KEY, waitFor } from '../test/fixtures'
import { calculateAverageAge } from './stream-ages'
import { followUsers } from './follow-users'
import { streamUsers } from './stream-users'

// A clustered (WITHOUT ROWID) user_data, as InnoDB stores it: no rowid to read in storage order or to follow.
async function clusteredTable(db: TestDatabase): Promise<void> {
  await db.knex.raw(
    'CREATE TABLE user_data (user_id CHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, email VARCHAR(255) NOT NULL, age DECIMAL(6,2) NOT NULL) WITHOUT ROWID',
  )
  await insertUserRows(db.knex, KNOWN_USERS)
}

describe('Task 5: followUsers on a WITHOUT ROWID table (unit, SQLite)', () => {
  it('falls back to comparing id sets, still yielding each new row once', async () => {
    await using db = await createTestDb('sqlite')
    await clusteredTable(db)
    const stop = new AbortController()
    const seen: string[] = []
    const done = (async () => {
      for await (const user of followUsers({ db, pollMs: 10, signal: stop.signal })) seen.push(user.user_id)
    })()
    try {
      await delay(150)
      await db.knex('user_data').insert([newUser(1), newUser(2)])
      await waitFor(() => seen.length === 2)
      await delay(80)
    } finally {
      stop.abort()
      await done
    }
    expect(seen).toEqual([newUser(1).user_id, newUser(2).user_id])
  })
})

describe('Task 4: streamUserAges on a WITHOUT ROWID table (unit, SQLite)', () => {
  it('reads ages in key order instead of rowid order, with the same average', async () => {
    await using db = await createTestDb('sqlite')
    await clusteredTable(db)
    const expected = KNOWN_USERS.reduce((sum, u) => sum + u.age, 0) / KNOWN_USERS.length
    expect(await calculateAverageAge({ db })).toBeCloseTo(expected, 10)
  })
})

describe('Task 1: streamUsers on a WITHOUT ROWID table (unit, SQLite)', () => {
  it('streams every user in key order', async () => {
    await using db = await createTestDb('sqlite')
    await clusteredTable(db)
    expect(await collect(streamUsers({ db }))).toEqual(USERS_BY_KEY)
  })
})
