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
        'SELECT age FROM user_data WHERE rowid > ? AND rowid <= ?',
        'SELECT min(rowid), max(rowid) FROM user_data',
        'SELECT rowid FROM user_data WHERE rowid > ? ORDER BY rowid LIMIT 1',
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

  it('skips gaps left by deleted rows without yielding or losing anything', async () => {
    await using gappy = await createTestDb('sqlite')
    await createUserDataTable(gappy)
    await insertUserRows(gappy.knex, Array.from({ length: 40 }, (_, i) => newUser(i, i)))
    await gappy.knex('user_data').whereIn('age', [0, 1, 2, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 39]).delete()
    const ages = []
    for await (const age of streamUserAges({ db: gappy, readAhead: 2 })) ages.push(age)
    const expected = Array.from({ length: 40 }, (_, i) => i).filter((i) => i > 2 && (i < 10 || i > 20) && i !== 39)
    expect(ages).toEqual(expected)
  })

  it('reads ages lazily: one age for the first next()', async () => {
    const driver = spyOnSqliteDriver()
    const ages = streamUserAges({ db })
    try {
      expect(driver.pulled).toBe(0)
      await ages.next()
      expect(driver.pulled).toBe(1)
    } finally {
      await ages.return()
      driver.restore()
    }
  })
})
