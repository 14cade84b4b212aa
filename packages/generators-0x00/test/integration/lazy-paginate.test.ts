import { onQuery } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { lazyPaginate, lazyPaginateByKey, lazyPagination, paginateUsers } from '../../src'
import { collect, newUser, seedUsers, USERS_BY_KEY } from '../fixtures'

/** Counts the queries knex runs on `db` until `off()` is called. */
function countQueries(db: TestDatabase): { readonly count: number; off(): void } {
  let count = 0
  const off = onQuery(db, () => count++)
  return {
    get count() {
      return count
    },
    off,
  }
}

describe('Task 3: paginateUsers, lazyPaginate and lazyPaginateByKey', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let db: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await seedUsers(db)
    })
    afterAll(() => db.close())

    it('paginateUsers returns LIMIT/OFFSET pages in key order, and [] past the end', async () => {
      expect(await paginateUsers(4, 0, { db })).toEqual(USERS_BY_KEY.slice(0, 4))
      expect(await paginateUsers(4, 8, { db })).toEqual(USERS_BY_KEY.slice(8))
      expect(await paginateUsers(4, USERS_BY_KEY.length, { db })).toEqual([])
    })

    it('lazyPaginate yields the same pages and stops at the first empty page', async () => {
      const queries = countQueries(db)
      try {
        const pages = await collect(lazyPaginate(4, { db }))
        expect(pages).toEqual([USERS_BY_KEY.slice(0, 4), USERS_BY_KEY.slice(4, 8), USERS_BY_KEY.slice(8)])
        expect(queries.count).toBe(4) // three pages and the empty one that ends it
      } finally {
        queries.off()
      }
    })

    it('lazyPaginate fetches nothing before the first next() and one page per pull', async () => {
      const queries = countQueries(db)
      try {
        const pages = lazyPaginate(2, { db })
        expect(queries.count).toBe(0)
        await pages.next()
        expect(queries.count).toBe(1)
        const second = await pages.next()
        expect(second.value).toEqual(USERS_BY_KEY.slice(2, 4))
        expect(queries.count).toBe(2)
        await pages.return()
        expect(queries.count).toBe(2)
        expect(db.poolStats().used).toBe(0)
      } finally {
        queries.off()
      }
    })

    it('lazyPagination is the name 3-main imports for lazyPaginate', () => {
      expect(lazyPagination).toBe(lazyPaginate)
    })

    it('lazyPaginateByKey yields the same pages as OFFSET, one query per page, ending at a short page', async () => {
      const queries = countQueries(db)
      try {
        const pages = lazyPaginateByKey(4, { db })
        expect(queries.count).toBe(0)
        expect((await pages.next()).value).toEqual(USERS_BY_KEY.slice(0, 4))
        expect(queries.count).toBe(1)
        expect(await collect(pages)).toEqual([USERS_BY_KEY.slice(4, 8), USERS_BY_KEY.slice(8)])
        expect(queries.count).toBe(3) // the short third page ends it without a fourth query
        expect(queries.count).toBeLessThan(Math.ceil(USERS_BY_KEY.length / 4) + 1)
      } finally {
        queries.off()
      }
    })

    it('lazyPaginateByKey resumes after a given user_id', async () => {
      const after = USERS_BY_KEY[6]?.user_id
      expect(await collect(lazyPaginateByKey(100, { db, after }))).toEqual([USERS_BY_KEY.slice(7)])
    })

    it('lazyPaginateByKey neither repeats nor skips rows when a row is inserted before the cursor mid-way', async () => {
      // OFFSET pages shift when a row lands on an earlier page; keyset pages do not.
      const early = { ...newUser(1), user_id: '00000000-0000-4000-8000-000000000000' }
      const seen: string[] = []
      try {
        for await (const page of lazyPaginateByKey(3, { db })) {
          seen.push(...page.map((u) => u.user_id))
          if (seen.length === 3) await db.knex('user_data').insert(early)
        }
        expect(seen).toEqual(USERS_BY_KEY.map((u) => u.user_id))
      } finally {
        await db.knex('user_data').where('user_id', early.user_id).delete()
      }
    })

    it('throws TypeErrors naming bad arguments', async () => {
      await expect(paginateUsers(0, 0, { db })).rejects.toThrow(new TypeError('Expected `pageSize` to be a positive integer, got 0.'))
      await expect(paginateUsers(10, -1, { db })).rejects.toThrow(new TypeError('Expected `offset` to be a non-negative integer, got -1.'))
      await expect(paginateUsers(10, 0.5, { db })).rejects.toThrow(/`offset`.*got 0\.5/)
      expect(() => lazyPaginate(-3, { db })).toThrow(new TypeError('Expected `pageSize` to be a positive integer, got -3.'))
      expect(() => lazyPaginateByKey(Number.NaN, { db })).toThrow(new TypeError('Expected `pageSize` to be a positive integer, got NaN.'))
    })
  })
})
