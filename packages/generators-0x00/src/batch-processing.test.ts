import { createTestDb } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { spyOnSqliteDriver } from '../test/driver-spy'
import { seedUsers, USERS_BY_KEY } from '../test/fixtures'
import { batchProcessing, streamUsersInBatches } from './batch-processing'
import { MIN_AGE_EXCLUSIVE } from './users'

describe('Task 2: batches (unit, SQLite)', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDb('sqlite')
    await seedUsers(db)
  })
  afterAll(() => db.close())

  it('reads exactly one batch from the cursor per pull, like fetchmany', async () => {
    const driver = spyOnSqliteDriver()
    try {
      const batches = streamUsersInBatches(3, { db })
      expect(driver.pulled).toBe(0)
      await batches.next()
      expect(driver.pulled).toBe(3)
      await batches.next()
      expect(driver.pulled).toBe(6)
      await batches.return()
      expect(driver.sql.filter((sql) => sql.startsWith('SELECT'))).toHaveLength(2)
    } finally {
      driver.restore()
    }
  })

  it('keeps the course threshold: strictly older than 25', () => {
    expect(MIN_AGE_EXCLUSIVE).toBe(25)
  })

  it('filters while streaming: the first older user arrives after reading one batch, not the table', async () => {
    const driver = spyOnSqliteDriver()
    try {
      const older = batchProcessing(2, { db })
      const first = await older.next()
      expect(first.value).toEqual(USERS_BY_KEY.find((u) => u.age > 25))
      expect(driver.pulled).toBe(2)
      await older.return()
      expect(db.poolStats().used).toBe(0)
    } finally {
      driver.restore()
    }
  })

  it.each([
    ['0', 0],
    ['a string', '10'],
    ['a fraction', 2.5],
  ])('names the bad batchSize (%s) in its TypeError', (_label, bad) => {
    expect(() => streamUsersInBatches(bad as number)).toThrow(/^Expected `batchSize` to be a positive integer, got /)
  })
})
