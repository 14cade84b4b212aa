import type { Connection, UsersRow } from '@alx/db-core'
import { cacheQuery, queryCache } from '../../src/cache-query'
import { because, onEachDatabase, USERS, withTestConnection } from '../support/users-db'
import type { TestDatabase } from '@alx/db-core/testing'

/** The course's fetch_users_with_cache on `db`, counting how often the wrapped function really runs. */
function fetchUsersWithCache(db: TestDatabase) {
  const queries: string[] = []
  const fetch = withTestConnection(
    db,
    cacheQuery(async (conn: Connection, query: string) => {
      queries.push(query)
      return conn.query<UsersRow>(query)
    }),
  )
  return { fetch, queries }
}

const ALL = 'SELECT * FROM users ORDER BY id'
const names = (rows: readonly UsersRow[]): string[] => rows.map((row) => row.name)

describe('Task 4: cacheQuery', () => {
  beforeEach(() => queryCache.clear())

  it('runs the query on the first call and answers the same query from the cache, without calling the function', async () => {
    await onEachDatabase(async (db) => {
      // the course's query_cache is one module-level cache: start each database with it empty
      queryCache.clear()
      const { fetch, queries } = fetchUsersWithCache(db)
      const first = await fetch(ALL)
      because('the first call must run the query and return its rows', () => expect(names(first)).toEqual(names(USERS)))
      // from now on the database has no users: only the cache can still answer with three
      await db.knex('users').del()
      const second = await fetch(ALL)
      because('the second call with the same query must return the cached rows (the table is empty now: an empty result means the query ran again)', () =>
        expect(names(second)).toEqual(names(USERS)),
      )
      because('on a cache hit the wrapped function must not be called', () => expect(queries).toEqual([ALL]))
    })
  })

  it('keys the cache by the query: another query runs the function', async () => {
    await onEachDatabase(async (db) => {
      queryCache.clear()
      const { fetch, queries } = fetchUsersWithCache(db)
      await fetch(ALL)
      const one = await fetch('SELECT * FROM users WHERE id = 2')
      because('a query not seen before must run', () => expect(queries).toEqual([ALL, 'SELECT * FROM users WHERE id = 2']))
      because('and return its own rows, not the cached rows of another query', () => expect(names(one)).toEqual(['Alan Turing']))
      await fetch('SELECT * FROM users WHERE id = 2')
      await fetch(ALL)
      because('both queries are cached now: repeating them must not call the function again', () => expect(queries).toHaveLength(2))
    })
  })

  it('takes the query from a { query } argument too', async () => {
    await onEachDatabase(async (db) => {
      queryCache.clear()
      const queries: string[] = []
      const fetch = withTestConnection(
        db,
        cacheQuery(async (conn: Connection, { query }: { query: string }) => {
          queries.push(query)
          return conn.query<UsersRow>(query)
        }),
      )
      const first = await fetch({ query: ALL })
      const second = await fetch({ query: ALL })
      because('the key is the `query` of a { query } argument: the same query twice must run once', () => expect(queries).toEqual([ALL]))
      because('the hit must return the same rows', () => expect(names(second)).toEqual(names(first)))
    })
  })

  it('does not keep a failed call: the next call runs the function again', async () => {
    await onEachDatabase(async (db) => {
      queryCache.clear()
      let calls = 0
      const fetch = withTestConnection(
        db,
        cacheQuery(async (conn: Connection, query: string) => {
          calls += 1
          if (calls === 1) throw new Error('first call fails')
          return conn.query<UsersRow>(query)
        }),
      )
      const caught = await fetch(ALL).catch((err: unknown) => err)
      because('a failing call must reject with the function’s error', () => expect(caught).toMatchObject({ message: 'first call fails' }))
      const rows = await fetch(ALL)
      because('a failed call must not be cached: the next call must run the function', () => expect(calls).toBe(2))
      because('and return the rows', () => expect(names(rows)).toEqual(names(USERS)))
      await fetch(ALL)
      because('the successful result is cached: a third call must not run the function', () => expect(calls).toBe(2))
    })
  })

  it('shares one module-level queryCache: queryCache.clear() makes the query run again', async () => {
    await onEachDatabase(async (db) => {
      queryCache.clear()
      const { fetch, queries } = fetchUsersWithCache(db)
      await fetch(ALL)
      await fetch(ALL)
      because('the same query twice must run once', () => expect(queries).toHaveLength(1))
      queryCache.clear()
      await fetch(ALL)
      because('after queryCache.clear() the query must run again: cacheQuery must keep its results in the exported queryCache', () => expect(queries).toHaveLength(2))
    })
  })
})
