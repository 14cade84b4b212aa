// The demos print what the course's templates print, each on its own fixture: the same output in any order and
// when run twice, whatever the `users` table held before. One database per dialect for the whole file, so each
// demo meets what the ones before it left.
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { Dialect } from '@alx/db-core'
import type { TestDatabase } from '@alx/db-core/testing'
import { runDemo } from '../demo/demos'
import { pyRowRepr as pyRepr } from '@alx/db-core'

const USER_1 = "(1, 'Crawford Cartwright', 'crawford.cartwright@example.com', 37)"
const USER_1_UPDATED = "(1, 'Crawford Cartwright', 'Crawford_Cartwright@hotmail.com', 37)"
const ALL = `[${USER_1}, (2, 'Ada Lovelace', 'ada@example.com', 36), (3, 'Grace Hopper', 'grace@example.com', 85), (4, 'Linus Torvalds', 'linus@example.com', 55), (5, 'Margaret Hamilton', 'margaret@example.com', 88)]`

const dbs = new Map<string, Promise<TestDatabase>>()
const dbFor = (dialect: Dialect): Promise<TestDatabase> => {
  let db = dbs.get(dialect)
  if (db === undefined) dbs.set(dialect, (db = createTestDb(dialect)))
  return db
}
afterAll(async () => {
  for (const db of dbs.values()) await (await db).close()
})

async function output(n: number, db: TestDatabase): Promise<string[]> {
  const lines: string[] = []
  await runDemo(n, db, (line) => lines.push(line))
  return lines
}

describe('Task 0: the 0-log_queries demo', () => {
  it.each(testDialects())('logs the query before running it, as the template prints it (%s)', async (dialect) => {
    expect(await output(0, await dbFor(dialect))).toEqual(['Executing query: SELECT * FROM users'])
  })
})

describe('Task 1: the 1-with_db_connection demo', () => {
  it.each(testDialects())('prints user 1 as a Python tuple, also on a table another module filled (%s)', async (dialect) => {
    const db = await dbFor(dialect)
    await output(0, db)
    await db.knex('users').del()
    await db.knex('users').insert([{ id: 1, name: 'Someone Else', email: 'x@example.com', age: 5 }, { id: 9, name: 'Extra', email: 'e@example.com', age: 50 }])
    expect(await output(1, db)).toEqual([USER_1])
  })

  it.each(testDialects())('every demo prints the same alone, in reverse order and twice (%s)', async (dialect) => {
    const db = await dbFor(dialect)
    const forward: string[][] = []
    for (let n = 0; n <= 4; n++) forward.push(await output(n, db))
    const backward: string[][] = []
    for (let n = 4; n >= 0; n--) backward.unshift(await output(n, db))
    expect(backward).toEqual(forward)
    expect(forward[1]).toEqual([USER_1])
  })

  it('renders rows as tuples and lists of them as Python does', () => {
    expect(pyRepr([{ id: 1, name: "O'Neil", email: null }])).toBe(`[(1, "O'Neil", None)]`)
    expect(pyRepr({ id: 7 })).toBe('(7,)')
    expect(pyRepr('a\\b')).toBe("'a\\\\b'")
  })

  it('rejects a demo number outside 0–4', async () => {
    await expect(runDemo(5, await dbFor('sqlite'), () => undefined)).rejects.toThrow(/from 0 to 4/)
  })
})

describe('Task 2: the 2-transactional demo', () => {
  it.each(testDialects())('commits the new email and prints the row; the demos after it still see the original (%s)', async (dialect) => {
    const db = await dbFor(dialect)
    expect(await output(2, db)).toEqual([USER_1_UPDATED])
    expect(await output(1, db)).toEqual([USER_1])
    expect(await output(2, db)).toEqual([USER_1_UPDATED])
  })
})

describe('Task 3: the 3-retry_on_failure demo', () => {
  it.each(testDialects())('prints the list of users as Python prints fetchall() (%s)', async (dialect) => {
    const db = await dbFor(dialect)
    await output(2, db)
    expect(await output(3, db)).toEqual([ALL])
  })
})

describe('Task 4: the 4-cache_query demo', () => {
  it.each(testDialects())('the second call comes from the cache, the same when run twice (%s)', async (dialect) => {
    const db = await dbFor(dialect)
    const first = await output(4, db)
    expect(first).toEqual(['first call: 5 users from the database; second call: the same result, from the cache (hits 1, misses 1)'])
    expect(await output(4, db)).toEqual(first)
  })
})
