import { createReadStream, statSync } from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream'
import { SingleBar, Presets } from 'cli-progress'
import { parse } from 'csv-parse'
import type { Knex } from 'knex'
import { withTransaction } from './connection'
import type { AnyDatabase } from './database'
import { CSV_COLUMNS, Utf8Check, checkCsvHeader, csvRecordToRow } from './csv-rows'
import type { CsvHeader } from './csv-rows'
import { CsvFileError, CsvHeaderError, CsvRowError } from './errors'
import { createUserDataTable } from './schema'
import type { UserDataRow } from './schema'
import { assertPositiveInteger } from './stream'
import { generateUserRows } from './synthetic'
import { resolveUserPath, userCwd } from './url'

/** The course-shaped sample CSV shipped with this package (`name,email,age`, a few hundred rows of our own). */
export const SAMPLE_CSV_PATH = path.resolve(__dirname, '..', 'data', 'user_data.csv')

/** What a seeding run did. */
export interface SeedResult {
  /** Rows read from the source. */
  readonly rows: number
  /** Rows that were new. */
  readonly inserted: number
  /** Rows whose `user_id` was already present (in the table or earlier in the file), left as they were. */
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
 * Inserts rows into `user_data` with multi-row `VALUES` statements; a row whose `user_id` is already present
 * (in the table or earlier in `rows`) is skipped and the first one kept (`ON CONFLICT (user_id) DO NOTHING` on
 * SQLite and PostgreSQL, `ON DUPLICATE KEY UPDATE user_id = user_id` on MySQL). Not `INSERT IGNORE`, which would turn a value
 * that does not fit into a warning and store it cut.
 * @example
 * await insertUserRows(trx, [{ user_id, name, email, age }])
 */
export async function insertUserRows(knex: Knex, rows: readonly UserDataRow[]): Promise<void> {
  // knex's own multi-row insert compiles to UNION ALL on SQLite, which caps at 500 terms and is slower.
  const dialect = (knex.client as { dialect?: unknown }).dialect
  const onConflict = dialect === 'sqlite3' || dialect === 'postgresql'
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + MAX_ROWS_PER_STATEMENT)
    const values = chunk.map(() => '(?, ?, ?, ?)').join(', ')
    const bindings = chunk.flatMap((r) => [r.user_id, r.name, r.email, r.age])
    const sql = onConflict
      ? `INSERT INTO user_data (user_id, name, email, age) VALUES ${values} ON CONFLICT (user_id) DO NOTHING`
      : `INSERT INTO user_data (user_id, name, email, age) VALUES ${values} ON DUPLICATE KEY UPDATE user_id = user_id`
    await knex.raw(sql, bindings)
  }
}

async function countUsers(knex: Knex): Promise<number> {
  const [row] = await knex('user_data').count<Array<{ n: number | string }>>({ n: '*' })
  return Number(row?.n ?? 0)
}

const FILE_PROBLEMS: Readonly<Record<string, string>> = { ENOENT: 'no such file', EISDIR: 'a folder, not a file', EACCES: 'permission denied', ENOTDIR: 'a part of the path is not a folder' }

function csvFileError(err: unknown, given: string, absolute: string): CsvFileError | undefined {
  const { code, path: where } = err as { code?: unknown; path?: unknown }
  if (typeof code !== 'string' || where !== absolute || !(code in FILE_PROBLEMS)) return undefined
  const hint = path.isAbsolute(given) ? '' : `; a relative path starts where you run the command (${userCwd()})`
  return new CsvFileError(absolute, `${FILE_PROBLEMS[code] ?? code} (${code})${hint}`, { cause: err })
}

/**
 * Seeds `user_data` from a course-shaped CSV (`name,email,age` in any order, optional `user_id`), streaming it
 * in batches inside one transaction, in constant memory. Every row is checked before it is inserted, the same
 * way on every engine (see `csvRecordToRow`: lengths, DECIMAL(6,2) ages, UUIDs; the file must be UTF-8). A
 * row's id is its own `user_id` or a UUID v5 of its content, so re-running inserts nothing new: rows whose id
 * is already present are skipped and counted in `skipped`. A bad row aborts with its line and leaves nothing of
 * the file inserted. A relative `csvPath` starts where the command was run (`resolveUserPath`).
 * @throws {CsvFileError} when the file cannot be read (missing, a folder, no permission).
 * @throws {CsvHeaderError} when the header is not `name,email,age` (plus `user_id`).
 * @throws {CsvRowError} naming the file, line, field and value of the first bad row.
 * @example
 * const { inserted } = await seedUserDataFromCsv(db, SAMPLE_CSV_PATH)
 */
export async function seedUserDataFromCsv(db: AnyDatabase, csvPath: string = SAMPLE_CSV_PATH, options: SeedOptions = {}): Promise<SeedResult> {
  const batchSize = options.batchSize ?? 500
  assertPositiveInteger('batchSize', batchSize)
  const absolute = resolveUserPath(csvPath)
  const file = path.basename(absolute)
  let size: number
  try {
    const stats = statSync(absolute)
    if (stats.isDirectory()) throw Object.assign(new Error(`EISDIR: ${absolute}`), { code: 'EISDIR', path: absolute })
    size = stats.size
  } catch (err) {
    throw csvFileError(err, csvPath, absolute) ?? err
  }
  const showProgress = options.progress ?? (process.stderr.isTTY === true && size >= 1 << 20)
  await createUserDataTable(db)
  const bar = showProgress ? new SingleBar({ format: 'seeding {bar} {percentage}% | {rows} rows', stream: process.stderr }, Presets.shades_classic) : undefined
  bar?.start(size, 0, { rows: 0 })
  try {
    return await withTransaction(db, async (trx) => {
      const before = await countUsers(trx)
      const check = new Utf8Check(file)
      const parser = parse({ relax_column_count: true, skip_empty_lines: true, info: true, bom: true })
      // pipeline, not pipe: a UTF-8 error (or a failed read) destroys the parser, so the loop below sees it
      pipeline(createReadStream(absolute), check, parser, () => {})
      let header: CsvHeader | undefined
      let rows = 0
      let batch: UserDataRow[] = []
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (header === undefined) {
          header = checkCsvHeader(file, record)
          continue
        }
        batch.push(csvRecordToRow(file, info.lines, header, record))
        rows++
        if (batch.length === batchSize) {
          await insertUserRows(trx, batch)
          batch = []
          bar?.update(check.bytes, { rows })
        }
      }
      if (header === undefined) throw new CsvHeaderError(file, CSV_COLUMNS, [], 'the file is empty')
      await insertUserRows(trx, batch)
      bar?.update(size, { rows })
      const inserted = (await countUsers(trx)) - before
      return { rows, inserted, skipped: rows - inserted }
    })
  } catch (err) {
    if (err instanceof CsvRowError) throw err
    const unreadable = csvFileError(err, csvPath, absolute)
    if (unreadable !== undefined) throw unreadable
    // csv-parse's own syntax errors (an unclosed quote, a character after a closing quote) carry a line too.
    const code = (err as { code?: unknown }).code
    const line = (err as { lines?: unknown }).lines
    if (typeof code === 'string' && code.startsWith('CSV_') && typeof line === 'number') {
      throw new CsvRowError(file, line, 'row', undefined, `bad CSV syntax: ${(err as Error).message}`, { cause: err })
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
export async function seedSyntheticUsers(db: AnyDatabase, count: number, options: { readonly seed?: number; readonly batchSize?: number } = {}): Promise<SeedResult> {
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
