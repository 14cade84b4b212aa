import { createReadStream, statSync } from 'node:fs'
import path from 'node:path'
import { Transform } from 'node:stream'
import { SingleBar, Presets } from 'cli-progress'
import { parse } from 'csv-parse'
import type { Knex } from 'knex'
import { withTransaction } from './connection'
import type { Database } from './database'
import { CsvRowError } from './errors'
import { createUserDataTable } from './schema'
import type { UserDataRow } from './schema'
import { assertPositiveInteger } from './stream'
import { generateUserRows, userIdFor } from './synthetic'

/** The course-shaped sample CSV shipped with this package (`name,email,age`, a few hundred rows of our own). */
export const SAMPLE_CSV_PATH = path.resolve(__dirname, '..', 'data', 'user_data.csv')

/** What a seeding run did. */
export interface SeedResult {
  /** Rows read from the source. */
  readonly rows: number
  /** Rows that were new. */
  readonly inserted: number
  /** Rows already present (by `user_id`), left as they were. */
  readonly skipped: number
}

/** Options of `seedUserDataFromCsv`. */
export interface SeedOptions {
  /**
   * Rows per INSERT statement.
   * @default 500
   */
  readonly batchSize?: number
  /**
   * Show a progress bar on stderr.
   * @default true on a TTY for files of 1 MiB or more
   */
  readonly progress?: boolean
}

/** Rows per INSERT statement at most: 4 parameters a row stays far under both dialects' limits. */
const MAX_ROWS_PER_STATEMENT = 500

/**
 * Inserts rows into `user_data` with multi-row `VALUES` statements, skipping ids already present
 * (`INSERT … ON CONFLICT DO NOTHING` on SQLite, `INSERT IGNORE` on MySQL).
 * @example
 * await insertUserRows(trx, [{ user_id, name, email, age }])
 */
export async function insertUserRows(knex: Knex, rows: readonly UserDataRow[]): Promise<void> {
  // knex's own multi-row insert compiles to UNION ALL on SQLite, which caps at 500 terms and is slower.
  const sqlite = (knex.client as { dialect?: unknown }).dialect === 'sqlite3'
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + MAX_ROWS_PER_STATEMENT)
    const values = chunk.map(() => '(?, ?, ?, ?)').join(', ')
    const bindings = chunk.flatMap((r) => [r.user_id, r.name, r.email, r.age])
    const sql = sqlite
      ? `INSERT INTO user_data (user_id, name, email, age) VALUES ${values} ON CONFLICT (user_id) DO NOTHING`
      : `INSERT IGNORE INTO user_data (user_id, name, email, age) VALUES ${values}`
    await knex.raw(sql, bindings)
  }
}

async function countUsers(knex: Knex): Promise<number> {
  const [row] = await knex('user_data').count<Array<{ n: number | string }>>({ n: '*' })
  return Number(row?.n ?? 0)
}

function validate(file: string, line: number, record: Record<string, string | undefined>): UserDataRow {
  const name = record.name?.trim() ?? ''
  const email = record.email?.trim() ?? ''
  const rawAge = record.age?.trim() ?? ''
  if (name === '') throw new CsvRowError(file, line, 'name', record.name ?? null, 'name must not be empty')
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new CsvRowError(file, line, 'email', record.email ?? null, 'not an email address')
  const age = Number(rawAge)
  if (rawAge === '' || !Number.isFinite(age) || age < 0 || age > 9999) {
    throw new CsvRowError(file, line, 'age', record.age ?? null, 'age must be a number between 0 and 9999')
  }
  const id = record.user_id?.trim()
  if (id !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new CsvRowError(file, line, 'user_id', record.user_id ?? null, 'not a UUID')
  }
  return { user_id: id?.toLowerCase() ?? userIdFor(name, email, age), name, email, age }
}

/**
 * Seeds `user_data` from a course-shaped CSV (`name,email,age`, optional `user_id`), streaming it in batches
 * inside one transaction: idempotent (a row's id is its own `user_id` or a UUID v5 of its content), and a
 * malformed row aborts with its line number and leaves nothing of the file inserted.
 * @throws {CsvRowError} naming the file, line, field and value of the first bad row.
 * @example
 * const { inserted } = await seedUserDataFromCsv(db, SAMPLE_CSV_PATH)
 */
export async function seedUserDataFromCsv(db: Database, csvPath: string = SAMPLE_CSV_PATH, options: SeedOptions = {}): Promise<SeedResult> {
  const batchSize = options.batchSize ?? 500
  assertPositiveInteger('batchSize', batchSize)
  const file = path.basename(csvPath)
  const size = statSync(csvPath).size
  const showProgress = options.progress ?? (process.stderr.isTTY === true && size >= 1 << 20)
  await createUserDataTable(db)
  const bar = showProgress ? new SingleBar({ format: 'seeding {bar} {percentage}% | {rows} rows', stream: process.stderr }, Presets.shades_classic) : undefined
  let bytes = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length
      done(null, chunk)
    },
  })
  bar?.start(size, 0, { rows: 0 })
  try {
    return await withTransaction(db, async (trx) => {
      const before = await countUsers(trx)
      const parser = createReadStream(csvPath)
        .pipe(counter)
        .pipe(parse({ columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, info: true, bom: true }))
      let rows = 0
      let batch: UserDataRow[] = []
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        batch.push(validate(file, info.lines, record))
        rows++
        if (batch.length === batchSize) {
          await insertUserRows(trx, batch)
          batch = []
          bar?.update(bytes, { rows })
        }
      }
      await insertUserRows(trx, batch)
      bar?.update(size, { rows })
      const inserted = (await countUsers(trx)) - before
      return { rows, inserted, skipped: rows - inserted }
    })
  } catch (err) {
    // csv-parse reports its own syntax errors (unbalanced quotes, wrong column count) with line numbers too.
    if (err instanceof CsvRowError) throw err
    const code = (err as { code?: unknown }).code
    const line = (err as { lines?: unknown }).lines
    if (typeof code === 'string' && code.startsWith('CSV_') && typeof line === 'number') {
      throw new CsvRowError(file, line, 'row', null, (err as Error).message, { cause: err })
    }
    throw err
  } finally {
    bar?.stop()
  }
}

/**
 * Inserts `count` synthetic rows (see `generateUserRows`) for benchmarks; idempotent for the same seed.
 * @example
 * await seedSyntheticUsers(db, 1_000_000)
 */
export async function seedSyntheticUsers(db: Database, count: number, options: { readonly seed?: number; readonly batchSize?: number } = {}): Promise<SeedResult> {
  const batchSize = options.batchSize ?? 500
  assertPositiveInteger('batchSize', batchSize)
  if (count !== 0) assertPositiveInteger('count', count)
  await createUserDataTable(db)
  return withTransaction(db, async (trx) => {
    const before = await countUsers(trx)
    let batch: UserDataRow[] = []
    for (const row of generateUserRows(count, options.seed)) {
      batch.push(row)
      if (batch.length === batchSize) {
        await insertUserRows(trx, batch)
        batch = []
      }
    }
    await insertUserRows(trx, batch)
    const inserted = (await countUsers(trx)) - before
    return { rows: count, inserted, skipped: count - inserted }
  })
}
