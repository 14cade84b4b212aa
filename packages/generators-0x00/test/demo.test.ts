// The demos print what the ALX main files print (0-main.py … 4-main.py), on a database of known rows.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { COURSE_HEAD_LINES, demoDatabaseName, headPrint, runDemo } from '../demo/demos'
import { PyTuple, pyRepr } from '@alx/db-core'
import { KNOWN_USERS, seedUsers } from './fixtures'

const saved = process.env.DATABASE_URL
let db: TestDatabase

beforeAll(async () => {
  db = await createTestDb('sqlite')
  await seedUsers(db)
  process.env.DATABASE_URL = db.rawUrl
})
afterAll(async () => {
  process.env.DATABASE_URL = saved
  await db.close()
})

/** Runs demo `n` as `./n-main.py | head -n <course limit>` (`null`: no head) and returns its lines. */
async function output(n: number, limit: number | null | undefined = COURSE_HEAD_LINES[n]): Promise<string[]> {
  const lines: string[] = []
  await runDemo(
    n,
    headPrint((line) => lines.push(line) > 0, limit ?? undefined),
  )
  return lines
}

const DAN = "{'user_id': '00234e50-34eb-4ce2-94ec-26e3fa749796', 'name': 'Dan Altenwerth Jr.', 'email': 'Molly59@gmail.com', 'age': 67}"

describe('Task 0: the 0-main demo', () => {
  it('prints the connection, table and database lines, then the first five rows as Python tuples', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-gen-demo0-'))
    const before = process.env.DATABASE_URL
    process.env.DATABASE_URL = `sqlite:${path.join(dir, 'fresh.sqlite')}`
    try {
      const lines = await output(0)
      expect(lines.slice(0, 3)).toEqual(['connection successful', 'Table user_data created successfully', 'Database ALX_prodev is present '])
      expect(lines).toHaveLength(4)
      const tuple = String.raw`\('[0-9a-f-]{36}', '[^']+', '[^']+@[^']+', \d+(\.\d+)?\)`
      expect(lines[3]).toMatch(new RegExp(`^\\[${tuple}(, ${tuple}){4}\\]$`))
    } finally {
      process.env.DATABASE_URL = before
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('Task 0: demo 0 uses the database DATABASE_URL names', () => {
  it('takes the name from a mysql:// URL, and ALX_prodev for SQLite or a URL naming none', () => {
    expect(demoDatabaseName('mysql://root@127.0.0.1:3306/learner_prodev')).toBe('learner_prodev')
    expect(demoDatabaseName('mysql://root@127.0.0.1:3306/')).toBe('ALX_prodev')
    expect(demoDatabaseName('mysql://root@127.0.0.1:3306')).toBe('ALX_prodev')
    expect(demoDatabaseName('sqlite:/tmp/x.sqlite')).toBe('ALX_prodev')
  })

  describe.each(testDialects())('on %s', (dialect) => {
    it('seeds the named database, says so, and prints the same twice; demo 1 then reads that database', async () => {
      await using named = await createTestDb(dialect)
      const before = process.env.DATABASE_URL
      process.env.DATABASE_URL = named.rawUrl
      try {
        const first = await output(0)
        const name = dialect === 'mysql' ? named.rawUrl.split('/').pop() : 'ALX_prodev'
        expect(first[2]).toBe(`Database ${String(name)} is present `)
        expect(await output(0)).toEqual(first)
        const counted: Array<{ n: number | string }> = await named.knex('user_data').count({ n: '*' })
        expect(Number(counted[0]?.n)).toBeGreaterThan(0)
        const [firstUser] = await output(1)
        expect(first[3]).toContain(`('${String(/'user_id': '([^']+)'/.exec(firstUser ?? '')?.[1])}'`)
      } finally {
        process.env.DATABASE_URL = before
      }
    }, 60_000)
  })
})

describe('Task 1: the 1-main demo and Python-style output', () => {
  it('prints the first six users as Python dicts', async () => {
    const lines = await output(1)
    expect(lines).toHaveLength(6)
    expect(lines[0]).toBe(DAN)
    expect(lines[3]).toBe("{'user_id': '00af05c9-0a86-419e-8c2d-5fb7e899ae1c', 'name': 'Ronnie Bechtelar', 'email': 'Sandra19@yahoo.com', 'age': 22}")
  })

  it('renders values as Python repr() does', () => {
    expect(pyRepr("Shaquille O'Neal")).toBe(`"Shaquille O'Neal"`)
    expect(pyRepr(`both ' and "`)).toBe(`'both \\' and "'`)
    expect(pyRepr('line\nbreak\\')).toBe("'line\\nbreak\\\\'")
    expect(pyRepr([new PyTuple(['a', 1]), new PyTuple([2.5])])).toBe("[('a', 1), (2.5,)]")
    expect(pyRepr({ ok: true, none: null, no: false })).toBe("{'ok': True, 'none': None, 'no': False}")
  })
})

describe('Task 2: the 2-main demo', () => {
  it('`| head -n 5` shows rows 1, 2, 3, 5 and 6: Ronnie (22) is not older than 25', async () => {
    const lines = await output(2)
    expect(lines).toHaveLength(5)
    expect(lines[0]).toBe(DAN)
    expect(lines.map((l) => /'name': '([^']+)'/.exec(l)?.[1])).toEqual(['Dan Altenwerth Jr.', 'Glenda Wisozk', 'Daniel Fahey IV', 'Alma Bechtelar', 'Jonathon Jones'])
  })

  it('without head it prints every user older than 25 and only those', async () => {
    const lines = await output(2, null)
    expect(lines).toHaveLength(KNOWN_USERS.filter((u) => u.age > 25).length)
    expect(lines.join('\n')).not.toMatch(/'age': (25|24\.99|22)\}/)
  })
})

describe('Task 3: the 3-main demo', () => {
  it('`| head -n 7` shows rows 1 to 7, unfiltered', async () => {
    const lines = await output(3)
    expect(lines).toHaveLength(7)
    expect(lines[0]).toBe(DAN)
    expect(lines[6]).toContain("'name': 'Forrest Heaney'")
  })
})

describe('Task 4: the average-age demo', () => {
  it('prints `Average age of users: <avg>` with two decimals', async () => {
    const mean = KNOWN_USERS.reduce((sum, u) => sum + u.age, 0) / KNOWN_USERS.length
    expect(await output(4)).toEqual([`Average age of users: ${mean.toFixed(2)}`])
  })
})
