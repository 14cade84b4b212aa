#!/usr/bin/env -S node --import tsx
// `pnpm --filter @alx/db-core seed [--csv path | --rows N] [--url URL]`: creates the course tables and seeds
// `user_data` from a CSV (default: the shipped sample) or with N synthetic rows. Idempotent.
import { parseArgs } from 'node:util'
import { SAMPLE_CSV_PATH, migrateCourseSchema, openDatabase, seedSyntheticUsers, seedUserDataFromCsv } from '../src'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { csv: { type: 'string' }, rows: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  })
  if (values.help) {
    console.log('usage: seed [--csv path | --rows N] [--url sqlite:<path>|mysql://user:pass@host:port/db]')
    return
  }
  if (values.csv && values.rows) throw new TypeError('Use either --csv or --rows, not both.')
  const rows = values.rows === undefined ? undefined : Number(values.rows)
  if (rows !== undefined && (!Number.isSafeInteger(rows) || rows <= 0)) throw new TypeError(`Expected --rows to be a positive integer, got ${JSON.stringify(values.rows)}.`)
  await using db = await openDatabase(values.url)
  await migrateCourseSchema(db)
  const t0 = performance.now()
  const result = rows === undefined ? await seedUserDataFromCsv(db, values.csv ?? SAMPLE_CSV_PATH) : await seedSyntheticUsers(db, rows, { batchSize: 1000 })
  const seconds = (performance.now() - t0) / 1000
  console.log(`Seeded ${db.url}: ${result.rows} rows read, ${result.inserted} inserted, ${result.skipped} already present (${seconds.toFixed(1)} s)`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err)
  process.exitCode = 1
})
