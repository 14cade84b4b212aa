// Graded: Task 3 of tasks.md — paginateUsers(pageSize, offset) with LIMIT/OFFSET, and lazyPaginate(pageSize).
import { insertUserRows } from '@alx/db-core'
import { lazyPaginate, lazyPagination, paginateUsers } from '../../src/lazy-paginate'
import { ALL_USERS, byKey, collect, COURSE_USERS, errorOf, newUser, onEachDialect, touchedBeforeNext } from './support'

const BY_KEY = byKey(ALL_USERS)

describe('Task 3: paginateUsers and lazyPaginate', () => {
  it('paginateUsers(pageSize, offset) resolves to the users at positions offset … offset + pageSize - 1 in user_id order', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      expect(await paginateUsers(3, 0, { db })).toEqual(BY_KEY.slice(0, 3))
      expect(await paginateUsers(3, 3, { db })).toEqual(BY_KEY.slice(3, 6))
      expect(await paginateUsers(4, 8, { db })).toEqual(BY_KEY.slice(8, 11))
      expect(await paginateUsers(5, 11, { db })).toEqual([])
    })
  })

  it('paginateUsers returns users as { user_id, name, email, age } with age as a number', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const [first] = await paginateUsers(1, 0, { db })
      expect(first).toEqual(COURSE_USERS[0])
      expect(typeof first?.age).toBe('number')
    })
  })

  it('paginateUsers rejects a page size that is not a positive integer or an offset below 0 with a TypeError', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      expect(await errorOf(() => paginateUsers(0, 0, { db }))).toBeInstanceOf(TypeError)
      expect(await errorOf(() => paginateUsers(2.5, 0, { db }))).toBeInstanceOf(TypeError)
      expect(await errorOf(() => paginateUsers(2, -1, { db }))).toBeInstanceOf(TypeError)
    })
  })

  it('lazyPaginate(4) yields pages of 4 users in user_id order (the last one shorter) and then ends', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      const pages = await collect(lazyPaginate(4, { db }))
      expect(pages.map((page) => page.length)).toEqual([4, 4, 3])
      expect(pages.flat()).toEqual(BY_KEY)
    })
  })

  it('lazyPaginate yields no empty page when the table size is a multiple of the page size', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      expect((await collect(lazyPaginate(7, { db }))).map((page) => page.length)).toEqual([7])
    })
  })

  it('lazyPaginate yields no page for an empty table', async () => {
    await onEachDialect([], async (db) => {
      expect(await collect(lazyPaginate(3, { db }))).toEqual([])
    })
  })

  it('lazyPaginate fetches a page only when asked: a user inserted before the second next() shifts the OFFSET page', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const pages = lazyPaginate(2, { db })
      expect((await pages.next()).value).toEqual(COURSE_USERS.slice(0, 2))
      // Sorts before every user: with LIMIT 2 OFFSET 2 fetched now, the second page starts one user earlier.
      const first = newUser(1, { first: true })
      await insertUserRows(db.knex, [first])
      expect((await pages.next()).value).toEqual(COURSE_USERS.slice(1, 3))
      await pages.return(undefined)
    })
  })

  it('lazyPaginate touches the database only at the first next(): no connection taken, no SQL sent before', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const { value: pages, acquired, statements } = await touchedBeforeNext(db, () => lazyPaginate(3, { db }))
      expect({ acquired, statements }).toEqual({ acquired: 0, statements: [] })
      expect((await pages.next()).value).toEqual(COURSE_USERS.slice(0, 3))
      await pages.return(undefined)
    })
  })

  it('lazyPaginate rejects a page size that is not a positive integer (0, -1) with a TypeError', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      expect(await errorOf(() => lazyPaginate(0, { db }))).toBeInstanceOf(TypeError)
      expect(await errorOf(() => lazyPaginate(-1, { db }))).toBeInstanceOf(TypeError)
    })
  })

  it('3-main: lazyPagination (the name 3-main imports) | head -n 7 gives the course rows 1-7, and gives its connection back', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      const printed = []
      pages: for await (const page of lazyPagination(100, { db })) {
        for (const user of page) {
          printed.push(user)
          if (printed.length === 7) break pages
        }
      }
      expect(printed).toEqual(COURSE_USERS)
      expect(db.poolStats().used).toBe(0)
      expect(db.closed).toBe(false)
    })
  })
})
