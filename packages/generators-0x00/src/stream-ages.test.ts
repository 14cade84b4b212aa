import { createUserDataTable, insertUserRows } from '@alx/db-core'
import { createTestDb } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { spyOnSqliteDriver } from '../test/driver-spy'
import { KNOWN_USERS, newUser } from '../test/fixtures'
import { calculateAverageAge, streamUserAges } from './stream-ages'

describe('Task 4: average age from a stream (unit, SQLite)', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDb('sqlite')
    await createUserDataTable(db)
    await insertUserRows(db.knex, KNOWN_USERS)
  })
  afterAll(() => db.close())

  it('never asks SQL for the average: it reads `age` through one cursor', async () => {
    const driver = spyOnSqliteDriver()
    try {
      await calculateAverageAge({ db })
      expect(driver.sql.filter((sql) => sql.startsWith('SELECT'))).toEqual([
        'SELECT age, rowid FROM user_data ORDER BY rowid LIMIT ?',
        'SELECT age, rowid FROM user_data WHERE rowid > ? ORDER BY rowid LIMIT ?',
      ])
      expect(driver.sql.join(' ')).not.toMatch(/avg\s*\(/i)
      expect(driver.pulled).toBe(KNOWN_USERS.length)
    } finally {
      driver.restore()
    }
  })

  it('keeps decimal ages exact enough: mean of 25, 25.5 and 24.99 style values', async () => {
    await using small = await createTestDb('sqlite')
    await createUserDataTable(small)
    await insertUserRows(small.knex, [newUser(1, 25), newUser(2, 25.5), newUser(3, 24.99)])
    expect(await calculateAverageAge({ db: small })).toBeCloseTo((25 + 25.5 + 24.99) / 3, 12)
  })

  it('reads ages lazily: one age for the first next()', async () => {
    const driver = spyOnSqliteDriver()
    try {
      const ages = streamUserAges({ db })
      expect(driver.pulled).toBe(0)
      await ages.next()
      expect(driver.pulled).toBe(1)
      await ages.return()
    } finally {
      driver.restore()
    }
  })
})
