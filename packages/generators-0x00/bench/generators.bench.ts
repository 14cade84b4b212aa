// `pnpm --filter @alx/generators-0x00 bench`: streamUsers, calculateAverageAge and lazyPaginateByKey on
// BENCH_ROWS (default 1M) synthetic users, on SQLite and (with MYSQL_URL) MariaDB, each beside the raw driver
// path measured in the same run, plus the Python originals. Sides alternate over rounds; medians are compared.
// Exits 1 when a bar is missed; the last line is the summary.
import { execFile } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { openConnection, openDatabase, parseDatabaseUrl, seedSyntheticUsers } from '@alx/db-core'
import type { Database } from '@alx/db-core'
import { calculateAverageAge, lazyPaginate, lazyPaginateByKey, SELECT_USERS_SQL, streamUsers, USER_COLUMNS } from '../src'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3'
const AGES_SQL = 'SELECT age FROM user_data'
if (!Number.isSafeInteger(ROWS) || ROWS < 1000) throw new TypeError(`Expected BENCH_ROWS to be an integer ≥ 1000, got ${process.env.BENCH_ROWS}.`)
if (!Number.isSafeInteger(ROUNDS) || ROUNDS < 1) throw new TypeError(`Expected BENCH_ROUNDS to be a positive integer, got ${process.env.BENCH_ROUNDS}.`)

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

interface Run {
  rows: number
  seconds: number
  checksum: number
  /** Peak RSS growth over the run, in bytes (sampled every 16k rows). */
  rssGrowth?: number
}
type Side = () => Promise<Run>

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}
const kRows = (n: number): string => `${Math.round(n / 1000)}k rows/s`
const pct = (x: number): string => `${Math.round(x * 100)}%`
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`

/** Runs every side once per round, the order reversed on every other round; returns rows/s per side. */
async function compare(label: string, sides: Record<string, Side>, rounds = ROUNDS): Promise<Record<string, { rate: number; runs: Run[] }>> {
  const names = Object.keys(sides)
  const runs: Record<string, Run[]> = Object.fromEntries(names.map((n) => [n, []]))
  // Warm-up: one short pass of each side (JIT, page cache, pool connections).
  for (const name of names) await sides[name]?.()
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse()
    for (const name of order) {
      gc()
      const run = await (sides[name] as Side)()
      runs[name]?.push(run)
    }
  }
  const result: Record<string, { rate: number; runs: Run[] }> = {}
  for (const name of names) {
    const rs = runs[name] ?? []
    const sums = new Set(rs.map((r) => `${r.rows}/${Math.round(r.checksum)}`))
    if (sums.size !== 1) throw new Error(`${label}/${name}: runs disagree on rows or checksum: ${[...sums].join(', ')}`)
    result[name] = { rate: median(rs.map((r) => r.rows / r.seconds)), runs: rs }
  }
  return result
}

async function timed(fn: (sample: () => void) => Promise<{ rows: number; checksum: number }>): Promise<Run> {
  const rss0 = process.memoryUsage.rss()
  let peak = rss0
  const sample = (): void => {
    const rss = process.memoryUsage.rss()
    if (rss > peak) peak = rss
  }
  const t0 = performance.now()
  const { rows, checksum } = await fn(sample)
  const seconds = (performance.now() - t0) / 1000
  sample()
  return { rows, seconds, checksum, rssGrowth: peak - rss0 }
}

// ---- our side -------------------------------------------------------------------------------------------

const ours = {
  streamUsers: (db: Database): Side => () =>
    timed(async (sample) => {
      let rows = 0
      let checksum = 0
      for await (const user of streamUsers({ db })) {
        rows++
        checksum += user.age
        if ((rows & 0x3fff) === 0) sample()
      }
      return { rows, checksum }
    }),
  average: (db: Database): Side => () =>
    timed(async () => {
      const average = await calculateAverageAge({ db })
      // calculateAverageAge returns only the mean; rows/s is over the table's row count.
      return { rows: ROWS, checksum: average * ROWS }
    }),
}

// ---- the raw driver path: better-sqlite3 iterate() / mysql2 row events on a pooled connection ------------

interface SqliteRaw {
  prepare(sql: string): { iterate(): IterableIterator<unknown>; pluck(on?: boolean): { iterate(): IterableIterator<unknown> } }
}
interface MysqlRaw {
  query(sql: string): { on(event: string, listener: (arg: unknown) => void): MysqlQueryEvents }
}
interface MysqlQueryEvents {
  on(event: string, listener: (arg: unknown) => void): MysqlQueryEvents
}

function rawRows(db: Database, sql: string, pluck: boolean): Side {
  return () =>
    timed(async (sample) => {
      await using conn = await openConnection(db)
      let rows = 0
      let checksum = 0
      if (db.dialect === 'sqlite') {
        const stmt = (conn.raw as unknown as SqliteRaw).prepare(sql)
        if (pluck) {
          for (const age of stmt.pluck(true).iterate() as IterableIterator<number>) {
            rows++
            checksum += age
          }
        } else {
          for (const row of stmt.iterate() as IterableIterator<{ age: number }>) {
            rows++
            checksum += row.age
            if ((rows & 0x3fff) === 0) sample()
          }
        }
        return { rows, checksum }
      }
      await new Promise<void>((resolve, reject) => {
        ;(conn.raw as unknown as MysqlRaw)
          .query(sql)
          .on('result', (row) => {
            rows++
            checksum += (row as { age: number }).age
            if ((rows & 0x3fff) === 0) sample()
          })
          .on('error', (err) => reject(err instanceof Error ? err : new Error(String(err))))
          .on('end', () => resolve())
      })
      return { rows, checksum }
    })
}

/**
 * The driver's best case on SQLite, for reference: the same chunked reads our cursor makes (`all()` of 256 rows
 * per call: keyset chunks on `user_id` for users, rowid slices of the plucked `age` for ages), consumed in a
 * synchronous loop. What is left above this is the async generator's own cost.
 */
function rawChunks(db: Database, what: 'users' | 'ages'): Side {
  return () =>
    timed(async () => {
      await using conn = await openConnection(db)
      const raw = conn.raw as unknown as SqliteChunkRaw
      let rows = 0
      let checksum = 0
      if (what === 'ages') {
        const slice = raw.prepare('SELECT age FROM user_data WHERE rowid > ? AND rowid <= ?').pluck(true)
        const top = raw.prepare('SELECT max(rowid) FROM user_data').pluck(true).all()[0] as number
        for (let lo = 0; lo < top; lo += 256) {
          for (const age of slice.all(lo, lo + 256) as number[]) {
            rows++
            checksum += age
          }
        }
        return { rows, checksum }
      }
      const select = `SELECT ${USER_COLUMNS.join(', ')} FROM user_data`
      const first = raw.prepare(`${select} ORDER BY user_id LIMIT 256`).raw(true)
      const after = raw.prepare(`${select} WHERE user_id > ? ORDER BY user_id LIMIT 256`).raw(true)
      for (let chunk = first.all() as unknown[][]; ; ) {
        for (const values of chunk) {
          rows++
          checksum += values[3] as number
        }
        const tail = chunk[chunk.length - 1]
        if (chunk.length < 256 || tail === undefined) break
        chunk = after.all(tail[0]) as unknown[][]
      }
      return { rows, checksum }
    })
}
interface SqliteChunkStatement {
  raw(on: boolean): SqliteChunkStatement
  pluck(on: boolean): SqliteChunkStatement
  all(...params: unknown[]): unknown[]
}
interface SqliteChunkRaw {
  prepare(sql: string): SqliteChunkStatement
}

// ---- the Python originals ---------------------------------------------------------------------------------

const run = promisify(execFile)
const SCRIPT = path.join(__dirname, 'python', 'original.py')

function python(db: Database, mode: 'users' | 'ages', sql: string): Side {
  const { config } = db
  const args = config.dialect === 'sqlite' ? ['sqlite', config.filename, mode, sql] : ['mysql', config.host, String(config.port), config.user, config.password, config.database ?? '', mode, sql]
  return async () => {
    const { stdout } = await run(PYTHON, [SCRIPT, ...args], { maxBuffer: 1 << 20 })
    return JSON.parse(stdout) as Run
  }
}

async function pythonAvailable(dialect: 'sqlite' | 'mysql'): Promise<string | undefined> {
  try {
    await run(PYTHON, ['-c', dialect === 'sqlite' ? 'import sqlite3' : 'import MySQLdb.cursors'])
    return undefined
  } catch {
    return dialect === 'sqlite' ? `${PYTHON} with sqlite3 not found` : `${PYTHON} has no MySQLdb: apt-get install python3-mysqldb`
  }
}

// ---- pagination ------------------------------------------------------------------------------------------

async function pagesFor(pages: AsyncGenerator<unknown[]>, limit: number): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now()
  let rows = 0
  for await (const page of pages) {
    rows += page.length
    if (rows >= limit) break
  }
  return { rows, seconds: (performance.now() - t0) / 1000 }
}

/** The `user_id` just before row `position` in key order (`undefined` for 0), for `lazyPaginateByKey({ after })`. */
async function idBefore(db: Database, position: number): Promise<string | undefined> {
  if (position === 0) return undefined
  const rows = (await db.knex('user_data').select('user_id').orderBy('user_id').limit(1).offset(position - 1)) as Array<{ user_id: string }>
  return rows[0]?.user_id
}

// ---- data sets -------------------------------------------------------------------------------------------

async function countUsers(db: Database): Promise<number> {
  if (!(await db.knex.schema.hasTable('user_data'))) return 0
  const counted: Array<{ n: number | string }> = await db.knex('user_data').count({ n: '*' })
  return Number(counted[0]?.n ?? 0)
}

async function dataset(url: string, reset: () => Promise<void>): Promise<Database> {
  let db = await openDatabase(url)
  let have = await countUsers(db)
  if (have !== ROWS) {
    if (have > ROWS) {
      await db.close()
      await reset()
      db = await openDatabase(url)
      have = 0
    }
    console.log(`  seeding ${ROWS - have} synthetic users into ${db.url} (kept for the next run) …`)
    const t0 = performance.now()
    await seedSyntheticUsers(db, ROWS, { batchSize: 1000 })
    console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)}s`)
  }
  return db
}

async function sqliteDataset(): Promise<Database> {
  const dir = path.join(os.tmpdir(), 'alx-generators-bench')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `users-${ROWS}.sqlite`)
  return dataset(`sqlite:${file}`, async () => {
    const db = await openDatabase(`sqlite:${file}`)
    await db.knex.schema.dropTableIfExists('user_data')
    await db.close()
  })
}

async function mysqlDataset(serverUrl: string): Promise<Database> {
  const config = parseDatabaseUrl(serverUrl)
  if (config.dialect !== 'mysql') throw new TypeError(`Expected MYSQL_URL to be a mysql:// URL, got ${config.url}.`)
  const name = `alx_gen_bench_${ROWS}`
  const admin = await openDatabase(serverUrl, { pool: { max: 1 } })
  await admin.knex.raw(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4`)
  await admin.close()
  const auth = encodeURIComponent(config.user) + (config.password ? `:${encodeURIComponent(config.password)}` : '')
  return dataset(`mysql://${auth}@${config.host}:${config.port}/${name}`, async () => {
    const db = await openDatabase(serverUrl, { pool: { max: 1 } })
    await db.knex.raw(`DROP DATABASE IF EXISTS \`${name}\``)
    await db.knex.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`)
    await db.close()
  })
}

// ---- one dialect -----------------------------------------------------------------------------------------

interface Bar {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

async function benchDialect(db: Database, summary: string[]): Promise<Bar[]> {
  const d = db.dialect
  const bars: Bar[] = []
  console.log(`\n== ${d}: ${ROWS.toLocaleString('en')} users, ${ROUNDS} rounds, medians ==`)

  const noPython = await pythonAvailable(d)
  if (noPython) console.log(`  (Python comparison skipped: ${noPython})`)

  // streamUsers
  const usersSides: Record<string, Side> = { raw: rawRows(db, SELECT_USERS_SQL, false), streamUsers: ours.streamUsers(db) }
  if (d === 'sqlite') usersSides.rawChunks = rawChunks(db, 'users')
  if (!noPython) usersSides.python = python(db, 'users', SELECT_USERS_SQL)
  const users = await compare(`${d}/streamUsers`, usersSides)
  const usersRate = users.streamUsers?.rate ?? 0
  const rawRate = users.raw?.rate ?? 1
  const rss = Math.max(...(users.streamUsers?.runs ?? []).map((r) => r.rssGrowth ?? 0))
  console.log(`  streamUsers          ${kRows(usersRate)} = ${pct(usersRate / rawRate)} of raw ${d === 'sqlite' ? 'better-sqlite3 iterate()' : 'mysql2 row events'} ${kRows(rawRate)} (bar ≥ 85%); peak RSS growth ${mb(rss)} (bar ≤ 64 MB)`)
  bars.push({ name: `${d} streamUsers/raw`, ok: usersRate >= 0.85 * rawRate, detail: pct(usersRate / rawRate) })
  if (users.rawChunks) console.log(`  (driver best case: the same keyset chunks via all() in a sync loop, ${kRows(users.rawChunks.rate)}; streamUsers is ${pct(usersRate / users.rawChunks.rate)} of it)`)
  bars.push({ name: `${d} streamUsers RSS`, ok: rss <= 64 * 2 ** 20, detail: mb(rss) })
  let vsPython = ''
  if (users.python) {
    const py = users.python.rate
    console.log(`  Python stream_users  ${kRows(py)} (${d === 'sqlite' ? 'sqlite3, dict rows' : 'MySQLdb SSDictCursor'}): ours is ${(usersRate / py).toFixed(2)}× Python`)
    vsPython = ` (${(usersRate / py).toFixed(2)}× Python)`
  }

  // calculateAverageAge
  const ageSides: Record<string, Side> = { rawAges: rawRows(db, AGES_SQL, true), average: ours.average(db) }
  if (d === 'sqlite') ageSides.rawChunks = rawChunks(db, 'ages')
  if (!noPython) ageSides.python = python(db, 'ages', AGES_SQL)
  const ages = await compare(`${d}/average`, ageSides)
  const avgRate = ages.average?.rate ?? 0
  const rawAgesRate = ages.rawAges?.rate ?? 1
  // The bar is against the raw driver streaming the same query (ages), the strict reading of "raw streaming".
  console.log(`  calculateAverageAge  ${kRows(avgRate)} = ${pct(avgRate / rawAgesRate)} of raw age streaming ${kRows(rawAgesRate)} (same query, sync loop; bar ≥ 80%); ${pct(avgRate / rawRate)} of raw row streaming`)
  bars.push({ name: `${d} average/raw`, ok: avgRate >= 0.8 * rawAgesRate, detail: pct(avgRate / rawAgesRate) })
  if (ages.rawChunks) console.log(`  (driver best case for ages: the same rowid slices via all() in a sync loop, ${kRows(ages.rawChunks.rate)}; calculateAverageAge is ${pct(avgRate / ages.rawChunks.rate)} of it)`)
  let avgVsPython = ''
  if (ages.python) {
    const py = ages.python.rate
    console.log(`  Python average age   ${kRows(py)}: ours is ${(avgRate / py).toFixed(2)}× Python`)
    avgVsPython = ` (${(avgRate / py).toFixed(2)}× Python)`
  }

  // lazyPaginateByKey: linear, against OFFSET. "Time for 100k rows" is taken at the start, the middle and the
  // end of the table (each slice seeks with `after`), so a buffer pool that holds only part of the table
  // weighs on both sides of the ratio alike.
  const tenth = Math.floor(ROWS / 10)
  const starts = [0, Math.floor(ROWS / 2), ROWS - tenth]
  const afters = await Promise.all(starts.map((p) => idBefore(db, p)))
  const slice: number[] = []
  const first: number[] = []
  const full: number[] = []
  await pagesFor(lazyPaginateByKey(1000, { db }), tenth) // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const times: number[] = []
    for (const after of afters) times.push((await pagesFor(lazyPaginateByKey(1000, { db, after }), tenth)).seconds)
    first.push(times[0] ?? 0)
    slice.push(times.reduce((a, b) => a + b, 0) / times.length)
    full.push((await pagesFor(lazyPaginateByKey(1000, { db }), ROWS)).seconds)
  }
  const ratio = median(full) / median(slice)
  console.log(
    `  lazyPaginateByKey    ${kRows(ROWS / median(full))} over all ${ROWS.toLocaleString('en')} rows; time(all) = ${ratio.toFixed(1)}× time(${tenth.toLocaleString('en')} rows) (bar ≤ 12×, linear = 10×; ${(median(full) / median(first)).toFixed(1)}× the first ${tenth.toLocaleString('en')} alone)`,
  )
  bars.push({ name: `${d} keyset linear`, ok: ratio <= 12, detail: `${ratio.toFixed(1)}×` })
  const offset1 = await pagesFor(lazyPaginate(1000, { db }), tenth)
  const offset2 = await pagesFor(lazyPaginate(1000, { db }), 2 * tenth)
  console.log(`  lazyPaginate(OFFSET) ${kRows(offset1.rows / offset1.seconds)} over the first ${tenth.toLocaleString('en')} rows, ${kRows(offset2.rows / offset2.seconds)} over the first ${(2 * tenth).toLocaleString('en')} (quadratic: it rescans what it skips)`)

  summary.push(
    `${d}: streamUsers ${kRows(usersRate)} ${pct(usersRate / rawRate)} of raw${vsPython}, average ${kRows(avgRate)}${avgVsPython}, keyset ${ratio.toFixed(1)}×, RSS +${mb(rss)}`,
  )
  return bars
}

async function main(): Promise<void> {
  const summary: string[] = []
  const bars: Bar[] = []
  const sqlite = await sqliteDataset()
  try {
    bars.push(...(await benchDialect(sqlite, summary)))
  } finally {
    await sqlite.close()
  }
  const mysqlUrl = process.env.MYSQL_URL
  if (mysqlUrl) {
    const mysql = await mysqlDataset(mysqlUrl)
    try {
      bars.push(...(await benchDialect(mysql, summary)))
    } finally {
      await mysql.close()
    }
  } else {
    console.log('\n(MariaDB skipped: set MYSQL_URL=mysql://root@127.0.0.1:3306/test)')
    summary.push('mysql: skipped (no MYSQL_URL)')
  }
  const missed = bars.filter((b) => !b.ok)
  console.log('')
  for (const b of missed) console.log(`MISSED ${b.name}: ${b.detail}`)
  if (missed.length > 0) process.exitCode = 1
  console.log(`${missed.length === 0 ? 'PASS' : 'FAIL'} generators-0x00 bench (${ROWS.toLocaleString('en')} rows): ${summary.join('; ')}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
