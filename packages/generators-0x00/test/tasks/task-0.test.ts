// Graded: Task 0 of tasks.md — seed.ts: connectDb, createDatabase, databaseExists, connectToProdev, createTable, insertData.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase } from '@alx/db-core'
import type { Database, Dialect, UserDataRow } from '@alx/db-core'
import { connectDb, connectToProdev, createDatabase, createTable, databaseExists, insertData } from '../../src/seed'
import { byKey, COURSE_USERS, forEachDialect } from './support'

/** Where a test may create the course database: a fresh SQLite file, or a uniquely named MySQL database. */
interface Target {
  readonly url: string
  readonly name: string
  /** A folder for the test's CSV files. */
  readonly dir: string
}

async function withTarget(dialect: Dialect, check: (target: Target) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-gen-task0-'))
  const server = process.env.MYSQL_URL ?? ''
  const name = dialect === 'sqlite' ? 'ALX_prodev' : `alx_task0_${process.pid}_${randomBytes(3).toString('hex')}`
  try {
    await check({ url: dialect === 'sqlite' ? `sqlite:${path.join(dir, 'prodev.sqlite')}` : server, name, dir })
  } finally {
    if (dialect === 'mysql') {
      const admin = await openDatabase(server, { pool: { max: 1 } })
      await admin.knex.raw(`DROP DATABASE IF EXISTS \`${name}\``)
      await admin.close()
    }
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Connects to the target's database, creating it first. */
async function prodev(target: Target): Promise<Database> {
  const server = await connectDb({ url: target.url })
  try {
    await createDatabase(server, { name: target.name })
  } finally {
    await server.close()
  }
  return connectToProdev({ url: target.url, name: target.name })
}

function csvFile(target: Target, file: string, header: string, rows: readonly string[]): string {
  const csvPath = path.join(target.dir, file)
  writeFileSync(csvPath, `${header}\n${rows.join('\n')}\n`)
  return csvPath
}

/** The CSV shape of the course's user_data.csv: quoted name and email, no user_id. */
function courseCsv(target: Target, users: readonly UserDataRow[]): string {
  return csvFile(target, 'user_data.csv', 'name,email,age', users.map((u) => `"${u.name}","${u.email}",${u.age}`))
}

async function usersIn(db: Database): Promise<UserDataRow[]> {
  const rows: Array<Record<string, unknown>> = await db.knex('user_data').select('user_id', 'name', 'email', 'age')
  return byKey(rows.map((r) => ({ user_id: String(r.user_id), name: String(r.name), email: String(r.email), age: Number(r.age) })))
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const withoutIds = (users: readonly UserDataRow[]): Array<Omit<UserDataRow, 'user_id'>> =>
  users.map(({ name, email, age }) => ({ name, email, age })).sort((a, b) => (a.email < b.email ? -1 : 1))

describe('Task 0: seed the database (seed.ts)', () => {
  it('connectDb connects to the database server: a handle that runs SQL, with no database selected on MySQL', async () => {
    await forEachDialect((dialect) =>
      withTarget(dialect, async (target) => {
        const server = await connectDb({ url: target.url })
        try {
          const rows: Array<{ name: unknown }> = await server.knex.select(server.knex.raw(dialect === 'mysql' ? 'DATABASE() AS name' : '1 AS name'))
          expect(rows[0]?.name).toBe(dialect === 'mysql' ? null : 1)
        } finally {
          await server.close()
        }
      }),
    )
  })

  it('createDatabase creates the database when it is missing (true) and does nothing when it is there (false); databaseExists tells which', async () => {
    await forEachDialect((dialect) =>
      withTarget(dialect, async (target) => {
        const server = await connectDb({ url: target.url })
        try {
          expect(await databaseExists(server, { name: target.name })).toBe(false)
          expect(await createDatabase(server, { name: target.name })).toBe(true)
          expect(await databaseExists(server, { name: target.name })).toBe(true)
          expect(await createDatabase(server, { name: target.name })).toBe(false)
        } finally {
          await server.close()
        }
      }),
    )
  })

  it('connectToProdev connects to the database createDatabase made (what one handle creates there, the next one sees)', async () => {
    await forEachDialect((dialect) =>
      withTarget(dialect, async (target) => {
        const first = await prodev(target)
        try {
          if (dialect === 'mysql') {
            const rows: Array<{ name: unknown }> = await first.knex.select(first.knex.raw('DATABASE() AS name'))
            expect(rows[0]?.name).toBe(target.name)
          }
          await first.knex.schema.createTable('marker', (t) => t.integer('n'))
        } finally {
          await first.close()
        }
        const second = await connectToProdev({ url: target.url, name: target.name })
        try {
          expect(await second.knex.schema.hasTable('marker')).toBe(true)
        } finally {
          await second.close()
        }
      }),
    )
  })

  it('createTable creates user_data (user_id, name, email, age) once: true, then false when it already exists', async () => {
    await forEachDialect((dialect) =>
      withTarget(dialect, async (target) => {
        const conn = await prodev(target)
        try {
          expect(await createTable(conn)).toBe(true)
          expect(Object.keys(await conn.knex('user_data').columnInfo()).sort()).toEqual(['age', 'email', 'name', 'user_id'])
          expect(await createTable(conn)).toBe(false)
        } finally {
          await conn.close()
        }
      }),
    )
  })

  it('createTable makes user_id the primary key and keeps decimal ages: a second row with the same user_id is refused', async () => {
    await forEachDialect((dialect) =>
      withTarget(dialect, async (target) => {
        const conn = await prodev(target)
        try {
          await createTable(conn)
          const user = { user_id: '00234e50-34eb-4ce2-94ec-26e3fa749796', name: 'Dan Altenwerth Jr.', email: 'Molly59@gmail.com', age: 24.99 }
          await conn.knex('user_data').insert(user)
          const duplicate = await conn.knex('user_data').insert({ ...user, name: 'Someone Else' }).then(
            () => 'the duplicate was inserted',
            () => 'refused',
          )
          expect(duplicate).toBe('refused')
          expect(await usersIn(conn)).toEqual([user])
        } finally {
          await conn.close()
        }
      }),
    )
  })

  it("insertData inserts every row of a course-shaped CSV (name,email,age), each with a UUID user_id, and resolves to { rows, inserted, skipped }", async () => {
    await forEachDialect((dialect) =>
      withTarget(dialect, async (target) => {
        const conn = await prodev(target)
        try {
          await createTable(conn)
          expect(await insertData(conn, courseCsv(target, COURSE_USERS))).toEqual({ rows: 7, inserted: 7, skipped: 0 })
          const stored = await usersIn(conn)
          expect(withoutIds(stored)).toEqual(withoutIds(COURSE_USERS))
          expect(stored.filter((user) => !UUID.test(user.user_id))).toEqual([])
          expect(new Set(stored.map((user) => user.user_id)).size).toBe(7)
        } finally {
          await conn.close()
        }
      }),
    )
  })

  it('insertData skips the rows already there: the same CSV a second time inserts nothing ({ rows: 7, inserted: 0, skipped: 7 })', async () => {
    await forEachDialect((dialect) =>
      withTarget(dialect, async (target) => {
        const conn = await prodev(target)
        try {
          await createTable(conn)
          const csvPath = courseCsv(target, COURSE_USERS)
          await insertData(conn, csvPath)
          const before = await usersIn(conn)
          expect(await insertData(conn, csvPath)).toEqual({ rows: 7, inserted: 0, skipped: 7 })
          expect(await usersIn(conn)).toEqual(before)
        } finally {
          await conn.close()
        }
      }),
    )
  })

  it("insertData keeps the CSV's own user_id when it has that column (user_id,name,email,age)", async () => {
    await forEachDialect((dialect) =>
      withTarget(dialect, async (target) => {
        const conn = await prodev(target)
        try {
          await createTable(conn)
          const csvPath = csvFile(target, 'with-ids.csv', 'user_id,name,email,age', COURSE_USERS.map((u) => `${u.user_id},"${u.name}","${u.email}",${u.age}`))
          expect(await insertData(conn, csvPath)).toEqual({ rows: 7, inserted: 7, skipped: 0 })
          expect(await usersIn(conn)).toEqual(COURSE_USERS)
        } finally {
          await conn.close()
        }
      }),
    )
  })
})
