// The ALX main files 0-main.py … 4-main.py, printing what they print, through a `print` that can stop early
// (returning false), as `./2-main.py | head -n 5` does.
import { createUserDataTable, defaultDatabaseUrl, openDatabase, parseDatabaseUrl, pyRepr, PyTuple, SAMPLE_CSV_PATH, seedUserDataFromCsv } from '@alx/db-core'
import { batchProcessing, calculateAverageAge, connectDb, connectToProdev, createDatabase, createTable, databaseExists, insertData, lazyPagination, streamUsers, PRODEV_DATABASE } from '../src'

/** Prints one line; returns false when the reader wants no more (a closed pipe, a line limit). */
export type Print = (line: string) => boolean

/** Options of a demo run. */
export interface DemoOptions {
  /** The CSV 0-main seeds from. @default db-core's SAMPLE_CSV_PATH */
  readonly csvPath?: string
  /** The MySQL database 0-main creates. @default the database DATABASE_URL names, else 'ALX_prodev' */
  readonly name?: string
}

/**
 * The MySQL database demo 0 creates and seeds: the one DATABASE_URL names (`mysql://…/learner_prodev`), else the
 * course's `ALX_prodev` (a URL naming no database, or SQLite, where the database is the file).
 */
export function demoDatabaseName(url: string = defaultDatabaseUrl()): string {
  const config = parseDatabaseUrl(url)
  return config.dialect === 'mysql' && config.database !== undefined && config.database !== '' ? config.database : PRODEV_DATABASE
}

/** 0-main.py: create the database and table, seed them, show that the database is there and five rows. */
async function main0(print: Print, options: DemoOptions): Promise<void> {
  const name = options.name ?? demoDatabaseName()
  const server = await connectDb()
  try {
    await createDatabase(server, { name })
  } finally {
    await server.close()
  }
  print('connection successful')
  const conn = await connectToProdev({ name })
  try {
    await createTable(conn)
    print('Table user_data created successfully')
    await insertData(conn, options.csvPath ?? SAMPLE_CSV_PATH)
    if (await databaseExists(conn, { name })) print(`Database ${name} is present `)
    // InnoDB returns the course's `SELECT * … LIMIT 5` in primary-key order; SQLite needs the ORDER BY to match.
    const rows = (await conn.knex('user_data').select('user_id', 'name', 'email', 'age').orderBy('user_id').limit(5)) as Array<Record<string, unknown>>
    print(pyRepr(rows.map((r) => new PyTuple([r.user_id, r.name, r.email, Number(r.age)]))))
  } finally {
    await conn.close()
  }
}

/** 1-main.py: `for user in islice(stream_users(), 6): print(user)`. */
async function main1(print: Print): Promise<void> {
  let taken = 0
  for await (const user of streamUsers()) {
    if (!print(pyRepr(user)) || ++taken === 6) break
  }
}

/** 2-main.py: `batch_processing(50)`, which prints every user older than 25. */
async function main2(print: Print): Promise<void> {
  for await (const user of batchProcessing(50)) {
    if (!print(pyRepr(user))) break
  }
}

/** 3-main.py: `for page in lazy_pagination(100): for user in page: print(user)`. */
async function main3(print: Print): Promise<void> {
  pages: for await (const page of lazyPagination(100)) {
    for (const user of page) {
      if (!print(pyRepr(user))) break pages
    }
  }
}

/** 4-main: the average age from the stream of ages. */
async function main4(print: Print): Promise<void> {
  print(`Average age of users: ${(await calculateAverageAge()).toFixed(2)}`)
}

/** The demos by number, as `pnpm start <n>` runs them. */
export const DEMOS = [main0, main1, main2, main3, main4] as const

/** The line limits the course's instructions pipe each main file through (`| head -n 5` for 2-main …). */
export const COURSE_HEAD_LINES: readonly (number | undefined)[] = [undefined, undefined, 5, 7, undefined]

/**
 * Makes sure `user_data` exists and has rows (the demos 1–4 read it), seeding it from the sample CSV when empty.
 * @returns the rows inserted (0 when it already had data).
 */
export async function ensureSeeded(): Promise<number> {
  const db = await openDatabase()
  try {
    await createUserDataTable(db)
    const counted: Array<{ n: number | string }> = await db.knex('user_data').count({ n: '*' })
    if (Number(counted[0]?.n ?? 0) > 0) return 0
    return (await seedUserDataFromCsv(db, SAMPLE_CSV_PATH)).inserted
  } finally {
    await db.close()
  }
}

/**
 * Runs demo `n` (0–4).
 * @throws {TypeError} when `n` is not one of 0–4.
 */
export async function runDemo(n: number, print: Print, options: DemoOptions = {}): Promise<void> {
  const demo = DEMOS[n]
  if (!Number.isInteger(n) || demo === undefined) throw new TypeError(`Expected the demo number to be 0, 1, 2, 3 or 4, got ${String(n)}.`)
  await demo(print, options)
}

/** A `print` that stops after `limit` lines (like `| head -n limit`), on top of another. */
export function headPrint(print: Print, limit: number | undefined): Print {
  if (limit === undefined) return print
  let left = limit
  return (line) => left-- > 0 && print(line) && left > 0
}
