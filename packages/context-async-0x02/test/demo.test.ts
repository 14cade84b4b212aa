// The demos print what the course scripts print (rows as Python tuples, fetchall() as a list), each on its own
// fixture: the same in any order and twice, whatever `users` held before.
import { createTestDb, testDialects } from '@alx/db-core/testing'
import { runDemos } from '../demo/index'
import { tuple } from '../demo/format'

async function output(which: string, url: string): Promise<string[]> {
  const lines: string[] = []
  await runDemos(which, url, (line) => lines.push(line))
  return lines
}

const ADA = "(1, 'Ada Lovelace', 'ada@example.org', 36)"

describe('Task 0: the 0-databaseconnection demo', () => {
  it.each(testDialects())('prints the seven users as one list of tuples, whatever the table held (%s)', async (dialect) => {
    await using db = await createTestDb(dialect)
    await db.knex.schema.createTable('users', (t) => {
      t.increments('id')
      t.string('name').notNullable()
      t.string('email').notNullable()
      t.integer('age')
    })
    await db.knex('users').insert([{ name: 'Left Over', email: 'l@example.com', age: 99 }, { name: 'Other', email: 'o@example.com', age: 1 }])
    const [title, rows] = await output('0', db.rawUrl)
    expect(title).toBe('Task 0 — DatabaseConnection: SELECT * FROM users')
    expect(rows).toMatch(/^\[\(1, 'Ada Lovelace', 'ada@example\.org', 36\), .*\(7, 'Priya Sharma', 'priya@example\.org', 29\)\]$/)
    expect(rows?.match(/\(\d+, /g)).toHaveLength(7)
  }, 30_000)

  it('renders strings as Python repr does', () => {
    expect(tuple({ id: 2, name: "Shaquille O'Neal", email: 's@x', age: 40 })).toBe(`(2, "Shaquille O'Neal", 's@x', 40)`)
  })
})

describe('Task 1: the 1-execute demo', () => {
  it.each(testDialects())('prints the users older than 25, the same twice (%s)', async (dialect) => {
    await using db = await createTestDb(dialect)
    const first = await output('1', db.rawUrl)
    expect(first[1]?.startsWith(`[${ADA}, `)).toBe(true)
    expect(first[1]?.match(/\(\d+, /g)).toHaveLength(5)
    expect(first[1]).not.toMatch(/'age': 2[25]|, 2[25]\)/)
    expect(await output('1', db.rawUrl)).toEqual(first)
  }, 30_000)
})

describe('Task 2: the 3-concurrent demo', () => {
  it.each(testDialects())('prints both result sets; all demos print the same in any order (%s)', async (dialect) => {
    await using db = await createTestDb(dialect)
    const all = await output('all', db.rawUrl)
    const older = all[all.indexOf('Users older than 40:') + 1]
    expect(older).toBe("[(2, 'Grace Hopper', 'grace@example.org', 85), (3, 'Linus Torvalds', 'linus@example.org', 54), (5, 'Kofi Mensah', 'kofi@example.org', 41)]")
    const reversed = [...(await output('2', db.rawUrl)), ...(await output('1', db.rawUrl)), ...(await output('0', db.rawUrl))]
    const lines = (ls: string[]): string[] => ls.map((l) => l.trim()).filter((l) => l !== '').sort()
    expect(lines(reversed)).toEqual(lines(all))
  }, 60_000)

  it('refuses an unknown demo with a usage error', async () => {
    await expect(runDemos('7', 'sqlite::memory:', () => undefined)).rejects.toMatchObject({ name: 'UsageError', message: 'expected a demo 0, 1, 2 or "all", got "7"' })
  })
})
