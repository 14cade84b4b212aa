import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CsvRowError, openDatabase, SAMPLE_CSV_PATH } from '@alx/db-core'
import type { Database, Dialect } from '@alx/db-core'
import { testDialects } from '@alx/db-core/testing'
import { connectDb, connectToProdev, createDatabase, createTable, databaseExists, insertData } from '../../src'
import { runSeedCli } from '../../src/cli-seed'

/** A place to create the course database: a temp SQLite file, or a uniquely named MySQL database (dropped after). */
interface Target {
  readonly url: string
  readonly name: string
  cleanup(): Promise<void>
}

function target(dialect: Dialect): Target {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-gen-seed-'))
    return { url: `sqlite:${path.join(dir, 'prodev.sqlite')}`, name: 'ALX_prodev', cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) }
  }
  const url = process.env.MYSQL_URL ?? ''
  const name = `alx_gen_t_${process.pid}_${randomBytes(3).toString('hex')}`
  return {
    url,
    name,
    async cleanup() {
      const admin = await openDatabase(url, { pool: { max: 1 } })
      await admin.knex.raw(`DROP DATABASE IF EXISTS \`${name}\``)
      await admin.close()
    },
  }
}

async function count(db: Database): Promise<number> {
  const counted: Array<{ n: number | string }> = await db.knex('user_data').count({ n: '*' })
  return Number(counted[0]?.n ?? 0)
}

const SAMPLE_ROWS = 300

describe('Task 0: seed the database (connectDb, createDatabase, connectToProdev, createTable, insertData, seed CLI)', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let t: Target
    beforeAll(() => {
      t = target(dialect)
    })
    afterAll(() => t.cleanup())

    it('creates the database once, then finds it present', async () => {
      await using server = await connectDb({ url: t.url })
      expect(await databaseExists(server, { name: t.name })).toBe(false)
      expect(await createDatabase(server, { name: t.name })).toBe(true)
      expect(await databaseExists(server, { name: t.name })).toBe(true)
      expect(await createDatabase(server, { name: t.name })).toBe(false)
    })

    it('creates user_data once and seeds it from the CSV idempotently', async () => {
      await using conn = await connectToProdev({ url: t.url, name: t.name })
      expect(await createTable(conn)).toBe(true)
      expect(await createTable(conn)).toBe(false)
      expect(await insertData(conn, SAMPLE_CSV_PATH)).toEqual({ rows: SAMPLE_ROWS, inserted: SAMPLE_ROWS, skipped: 0 })
      expect(await insertData(conn, SAMPLE_CSV_PATH)).toEqual({ rows: SAMPLE_ROWS, inserted: 0, skipped: SAMPLE_ROWS })
      expect(await count(conn)).toBe(SAMPLE_ROWS)
      const [first] = (await conn.knex('user_data').select('*').orderBy('user_id').limit(1)) as Array<Record<string, unknown>>
      expect(Object.keys(first ?? {})).toEqual(['user_id', 'name', 'email', 'age'])
      expect(first?.user_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      expect(first?.email).toContain('@')
      expect(typeof first?.age).toBe('number')
    })

    it('rejects a CSV with a bad row, naming its line, and inserts nothing from it', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-gen-csv-'))
      const csv = path.join(dir, 'bad.csv')
      writeFileSync(csv, 'name,email,age\n"Ada Lovelace","ada@example.org",36\n"Bad Age","bad@example.org",old\n')
      try {
        await using conn = await connectToProdev({ url: t.url, name: t.name })
        const before = await count(conn)
        const failure: unknown = await insertData(conn, csv).then(
          () => undefined,
          (err: unknown) => err,
        )
        expect(failure).toBeInstanceOf(CsvRowError)
        expect(failure).toMatchObject({ line: 3, field: 'age', value: 'old' })
        expect(await count(conn)).toBe(before)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('the seed CLI adds --rows N synthetic users, idempotently, and reports what it did', async () => {
      const out: string[] = []
      const io = { out: (l: string) => void out.push(l), err: (l: string) => void out.push(`ERR ${l}`) }
      expect(await runSeedCli(['--rows', '50', '--url', t.url, '--name', t.name], io)).toBe(0)
      expect(await runSeedCli(['--rows', '50', '--url', t.url, '--name', t.name], io)).toBe(0)
      expect(out[0]).toMatch(/50 rows read, 50 inserted, 0 already present/)
      expect(out[1]).toMatch(/50 rows read, 0 inserted, 50 already present/)
      await using conn = await connectToProdev({ url: t.url, name: t.name })
      expect(await count(conn)).toBe(SAMPLE_ROWS + 50)
    })
  })
})
