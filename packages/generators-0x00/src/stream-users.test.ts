import { existsSync } from 'node:fs'
import { createTestDb } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { spyOnSqliteDriver } from '../test/driver-spy'
import { collect, seedUsers, USERS_BY_KEY } from '../test/fixtures'
import { streamUsers } from './stream-users'

describe('Task 1: streamUsers (unit, SQLite)', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDb('sqlite')
    await seedUsers(db)
  })
  afterAll(() => db.close())

  it('reads from the cursor only as the consumer asks: taking 6 rows reads 7 (1 + 2 + 4), not the table', async () => {
    const driver = spyOnSqliteDriver()
    try {
      const users = streamUsers({ db })
      expect(driver.pulled).toBe(0)
      const taken = []
      for await (const user of users) {
        taken.push(user)
        if (taken.length === 1) expect(driver.pulled).toBe(1)
        if (taken.length === 6) break
      }
      expect(taken).toEqual(USERS_BY_KEY.slice(0, 6))
      expect(driver.pulled).toBe(7)
      expect(driver.sql.filter((sql) => sql.startsWith('SELECT'))).toEqual([
        'SELECT user_id, name, email, age FROM user_data ORDER BY user_id LIMIT ?',
        'SELECT user_id, name, email, age FROM user_data WHERE user_id > ? ORDER BY user_id LIMIT ?',
      ])
    } finally {
      driver.restore()
    }
  })

  it('never reads more than `readAhead` rows ahead of the consumer', async () => {
    const driver = spyOnSqliteDriver()
    try {
      let taken = 0
      for await (const _user of streamUsers({ db, readAhead: 2 })) {
        taken++
        expect(driver.pulled - taken).toBeLessThan(2)
      }
      expect(taken).toBe(USERS_BY_KEY.length)
      expect(driver.pulled).toBe(USERS_BY_KEY.length)
    } finally {
      driver.restore()
    }
  })

  it.each([
    [{ readAhead: 0 }, 'Expected `readAhead` to be a positive integer, got 0.'],
    [{ readAhead: 1.5 }, 'Expected `readAhead` to be a positive integer, got 1.5.'],
    [{ db: 'sqlite::memory:' }, 'Expected `db` to be a Database from openDatabase(), got "sqlite::memory:".'],
    [{ db: {} }, 'Expected `db` to be a Database from openDatabase(), got an object.'],
    [{ db: new Map() }, 'Expected `db` to be a Database from openDatabase(), got an instance of Map.'],
    [{ signal: 'stop' }, 'Expected `signal` to be an AbortSignal, got stop.'],
  ])('throws a TypeError at the call for the bad option %p', (options, message) => {
    expect(() => streamUsers(options as never)).toThrow(new TypeError(message))
  })

  it('throws a TypeError for options that are not an object', () => {
    expect(() => streamUsers(null as never)).toThrow(new TypeError('Expected the options to be an object like `{ db }`, got null.'))
  })

  describe('without { db }', () => {
    const saved = process.env.DATABASE_URL
    let own: TestDatabase
    let file: string
    beforeAll(async () => {
      own = await createTestDb('sqlite')
      await seedUsers(own)
      file = own.config.dialect === 'sqlite' ? own.config.filename : ''
      process.env.DATABASE_URL = own.rawUrl
      // Only the generator's own handle may touch the file from here on.
      await own.knex.destroy()
    })
    afterAll(async () => {
      process.env.DATABASE_URL = saved
      await own.close()
    })

    it('opens DATABASE_URL at the first next() and closes it when done (SQLite removes the WAL file on the last close)', async () => {
      const users = streamUsers()
      expect(existsSync(`${file}-wal`)).toBe(false)
      const first = await users.next()
      expect(first.value).toEqual(USERS_BY_KEY[0])
      expect(existsSync(`${file}-wal`)).toBe(true)
      expect(await collect(users)).toEqual(USERS_BY_KEY.slice(1))
      expect(existsSync(`${file}-wal`)).toBe(false)
    })

    it('closes its own handle on break too', async () => {
      for await (const _user of streamUsers()) break
      expect(existsSync(`${file}-wal`)).toBe(false)
    })
  })
})
