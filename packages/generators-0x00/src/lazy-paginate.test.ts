import { existsSync } from 'node:fs'
import { onQuery } from '@alx/db-core'
import { createTestDb } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { collect, newUser, seedUsers, USERS_BY_KEY } from '../test/fixtures'
import { lazyPaginateByKey } from './keyset-paginate'
import { lazyPaginate, paginateUsers } from './lazy-paginate'

describe('Task 3: pagination (unit, SQLite)', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDb('sqlite')
    await seedUsers(db)
  })
  afterAll(() => db.close())

  it('sends LIMIT/OFFSET for paginateUsers and a keyset seek for lazyPaginateByKey', async () => {
    const sql: string[] = []
    const off = onQuery(db, (e) => sql.push(e.sql))
    try {
      await paginateUsers(5, 5, { db })
      await collect(lazyPaginateByKey(5, { db }))
    } finally {
      off()
    }
    expect(sql[0]).toMatch(/order by `user_id` asc limit \? offset \?/i)
    expect(sql[1]).toMatch(/order by `user_id` asc limit \?$/i)
    expect(sql[2]).toMatch(/where `user_id` > \? order by `user_id` asc limit \?/i)
  })

  it('shows why OFFSET is weak: a row inserted on an earlier page makes the next OFFSET page repeat a row', async () => {
    await using own = await createTestDb('sqlite')
    await seedUsers(own)
    const early = { ...newUser(1), user_id: '00000000-0000-4000-8000-000000000000' }
    const offsetIds: string[] = []
    for await (const page of lazyPaginate(3, { db: own })) {
      offsetIds.push(...page.map((u) => u.user_id))
      if (offsetIds.length === 3) await own.knex('user_data').insert(early)
    }
    expect(new Set(offsetIds).size).toBeLessThan(offsetIds.length)
    await own.knex('user_data').where('user_id', early.user_id).delete()
    const keyIds: string[] = []
    for await (const page of lazyPaginateByKey(3, { db: own })) {
      keyIds.push(...page.map((u) => u.user_id))
      if (keyIds.length === 3) await own.knex('user_data').insert(early)
    }
    expect(keyIds).toEqual(USERS_BY_KEY.map((u) => u.user_id))
  })

  it('rejects a user_id `after` that is not a string', () => {
    expect(() => lazyPaginateByKey(10, { db, after: 5 as never })).toThrow(new TypeError('Expected `after` to be a user_id string, got 5.'))
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
      await own.knex.destroy()
    })
    afterAll(async () => {
      process.env.DATABASE_URL = saved
      await own.close()
    })

    it('paginateUsers opens DATABASE_URL for the call and closes it', async () => {
      expect(await paginateUsers(3, 0)).toEqual(USERS_BY_KEY.slice(0, 3))
      expect(existsSync(`${file}-wal`)).toBe(false)
    })

    it('lazyPaginate and lazyPaginateByKey keep one handle for all pages and close it at the end or on break', async () => {
      const pages = lazyPaginate(4)
      await pages.next()
      expect(existsSync(`${file}-wal`)).toBe(true)
      await pages.return()
      expect(existsSync(`${file}-wal`)).toBe(false)
      expect((await collect(lazyPaginateByKey(4))).flat()).toEqual(USERS_BY_KEY)
      expect(existsSync(`${file}-wal`)).toBe(false)
    })
  })
})
