import { maskUrl, parseCliArgs, resolveUserPath, runCli, SAMPLE_CSV_PATH, seedSyntheticUsers, UsageError } from '@alx/db-core'
import type { CliIo, SeedResult } from '@alx/db-core'
import { connectDb, connectToProdev, createDatabase, createTable, insertData, PRODEV_DATABASE } from './seed'

export type { CliIo }

/**
 * The `seed` CLI's help text.
 * @example
 * console.log(SEED_USAGE)
 */
export const SEED_USAGE = `usage: seed [--] [--csv <file> | --rows <N>] [--url <sqlite:… | mysql://…>] [--name <database>]
  --csv   seed from a course-shaped CSV (name,email,age[,user_id]), relative to where you run it;
          default: the shipped sample (300 rows)
  --rows  insert N synthetic users instead (deterministic, for benchmarks)
  --url   where to seed; default DATABASE_URL, else the embedded SQLite file
  --name  the MySQL database to create and fill; default ${PRODEV_DATABASE}`

/** Parsed `seed` arguments. */
export interface SeedArgs {
  readonly csv: string | undefined
  readonly rows: number | undefined
  readonly url: string | undefined
  readonly name: string
}

/**
 * Parses the `seed` CLI arguments; a leading `--` (as pnpm 10 passes `pnpm … seed -- --rows 5` on) is dropped.
 * @throws {UsageError} for an unknown flag, a bad `--rows`, or both `--csv` and `--rows`.
 * @example
 * parseSeedArgs(['--rows', '1000']) // { rows: 1000, csv: undefined, url: undefined, name: 'ALX_prodev' }
 */
export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  const { values } = parseCliArgs({
    args: [...argv],
    options: { csv: { type: 'string' }, rows: { type: 'string' }, url: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  })
  if (values.csv !== undefined && values.rows !== undefined) throw new UsageError('Expected either `--csv` or `--rows`, not both.')
  let rows: number | undefined
  if (values.rows !== undefined) {
    rows = /^\d+$/.test(values.rows) ? Number(values.rows) : NaN
    if (!Number.isSafeInteger(rows) || rows <= 0) throw new UsageError(`Expected \`--rows\` to be a positive integer, got ${JSON.stringify(values.rows)}.`)
  }
  return { csv: values.csv, rows, url: values.url, name: values.name ?? PRODEV_DATABASE }
}

/**
 * Runs `seed`: creates the database (MySQL) or file (SQLite) and `user_data`, then inserts the CSV or N
 * synthetic rows, idempotently. Resolves to the exit code: 0, 1 after a failure (printed as one line, see
 * db-core's `formatCliError`), 2 after bad arguments (printed with the usage).
 * @example
 * process.exitCode = await runSeedCli(process.argv.slice(2))
 */
export async function runSeedCli(argv: readonly string[], io?: CliIo): Promise<number> {
  const out = io?.out ?? ((line: string) => console.log(line))
  return runCli(
    async () => {
      const args = argv.includes('--help') || argv.includes('-h') ? undefined : parseSeedArgs(argv)
      if (args === undefined) {
        out(SEED_USAGE)
        return
      }
      const started = performance.now()
      const server = await connectDb({ url: args.url })
      try {
        await createDatabase(server, { name: args.name })
      } finally {
        await server.close()
      }
      const conn = await connectToProdev({ url: args.url, name: args.name })
      try {
        await createTable(conn)
        // insertData resolves a relative --csv itself (from where the command was run), naming it if unreadable
        const csv = args.csv ?? SAMPLE_CSV_PATH
        const source = args.rows !== undefined ? `${args.rows} synthetic users` : resolveUserPath(csv)
        const result: SeedResult = args.rows !== undefined ? await seedSyntheticUsers(conn, args.rows, { batchSize: 1000 }) : await insertData(conn, csv)
        const seconds = ((performance.now() - started) / 1000).toFixed(1)
        out(`Seeded ${maskUrl(conn.url)} from ${source}: ${result.rows} rows read, ${result.inserted} inserted, ${result.skipped} already present (${seconds}s)`)
      } finally {
        await conn.close()
      }
    },
    { name: 'seed', usage: SEED_USAGE, ...(io === undefined ? {} : { io }) },
  )
}
