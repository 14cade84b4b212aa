#!/usr/bin/env -S node --import tsx
// `pnpm --filter @alx/db-core seed [--] [--csv path | --rows N] [--url URL]`: creates the course tables and seeds
// `user_data` from a CSV (default: the shipped sample) or with N synthetic rows. Idempotent. A relative --csv or
// sqlite: path starts where the command was run (seedUserDataFromCsv and parseDatabaseUrl resolve it).
import {
  SAMPLE_CSV_PATH,
  UsageError,
  migrateCourseSchema,
  openDatabase,
  parseCliArgs,
  runCli,
  seedSyntheticUsers,
  seedUserDataFromCsv,
} from '../src'

const USAGE = 'usage: seed [--csv path | --rows N] [--url sqlite:<path>|mysql://user:pass@host:port/db]'

async function main(): Promise<void> {
  const { values } = parseCliArgs({
    options: { csv: { type: 'string' }, rows: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (values.csv !== undefined && values.rows !== undefined) throw new UsageError('Use either --csv or --rows, not both.')
  const rows = values.rows === undefined ? undefined : /^\d+$/.test(values.rows) ? Number(values.rows) : NaN
  if (rows !== undefined && (!Number.isSafeInteger(rows) || rows <= 0)) throw new UsageError(`Expected --rows to be a positive integer, got ${JSON.stringify(values.rows)}.`)
  await using db = await openDatabase(values.url)
  await migrateCourseSchema(db)
  const t0 = performance.now()
  const result =
    rows === undefined ? await seedUserDataFromCsv(db, values.csv ?? SAMPLE_CSV_PATH) : await seedSyntheticUsers(db, rows, { batchSize: 1000 })
  const seconds = (performance.now() - t0) / 1000
  console.log(`Seeded ${db.url}: ${result.rows} rows read, ${result.inserted} inserted, ${result.skipped} already present (${seconds.toFixed(1)} s)`)
}

void runCli(main, { name: 'seed', usage: USAGE })
