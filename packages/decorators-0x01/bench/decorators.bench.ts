// `pnpm --filter @alx/decorators-0x01 bench`, on a temp SQLite file, in one process:
//  1. a cacheQuery hit against the miss it replaces (the course's `SELECT * FROM users`): bar ≥ 100×;
//  2. all five wrappers stacked on a one-row SQLite lookup against the bare call — the same function, the
//     same query, on a connection checked out of the same pool and given back — every stacked call a
//     cache miss (so the query really runs, in a transaction, with two log lines serialised by pino at
//     info level into a null destination): bar ≤ 20% over bare. Measured beside it, with no bar: the same
//     work written by hand without the wrappers (retry loop, checkout, two log lines, an LRU lookup and
//     insert, BEGIN DEFERRED … COMMIT), which tells the work the wrappers are asked to do from their own cost.
//  3. the same stack against the Python original (bench/python/original.py: the course's five decorators
//     stacked on get_user_by_id, every call a miss, on the same SQLite file): bar, faster than Python.
// Each comparison is warmed up, then alternated over ROUNDS rounds (order rotated every round); medians compared.
// Exits 1 when a bar is missed; the last line is the summary.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { createLogger, createUsersTable, isTransientError, openConnection, openDatabase } from '@alx/db-core'
import type { Connection, Database, SqliteDriverConnection, SqliteStatement, UsersRow } from '@alx/db-core'
import { LRUCache } from 'lru-cache'
import { cacheQuery, logQueries, QueryCache, retryOnFailure, transactional, withDbConnection } from '../src'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15)
const USERS = 200
/** Users in the lookup table of part 2: ten times the cache's 500 entries, so ids cycling through them always miss. */
const LOOKUP_USERS = 5000
const ALL_USERS = 'SELECT * FROM users'
const BY_ID = 'SELECT * FROM users WHERE id = ?'

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** Microseconds per call over `n` sequential calls. */
async function perCall(n: number, call: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < n; i += 1) await call(i)
  return ((performance.now() - t0) * 1000) / n
}

/** Warms both sides up, then alternates them over ROUNDS rounds; returns the medians in µs per call. */
async function compare(n: number, a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>): Promise<[number, number]> {
  await perCall(n, a)
  await perCall(n, b)
  const as: number[] = []
  const bs: number[] = []
  for (let round = 0; round < ROUNDS; round += 1) {
    if (round % 2 === 0) {
      as.push(await perCall(n, a))
      bs.push(await perCall(n, b))
    } else {
      bs.push(await perCall(n, b))
      as.push(await perCall(n, a))
    }
  }
  return [median(as), median(bs)]
}

async function seed(db: Database, count: number): Promise<void> {
  await createUsersTable(db)
  const rows = Array.from({ length: count }, (_, i) => ({ name: `User ${i + 1}`, email: `user${i + 1}@example.com`, age: 20 + (i % 50) }))
  for (let i = 0; i < rows.length; i += 100) await db.knex('users').insert(rows.slice(i, i + 100))
}

/** Medians of `fns` alternated over ROUNDS rounds (order rotated every round), each warmed up first. */
async function rotate(n: number, fns: ReadonlyArray<(i: number) => Promise<unknown>>): Promise<number[]> {
  for (const fn of fns) await perCall(n, fn)
  const samples = fns.map((): number[] => [])
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let k = 0; k < fns.length; k += 1) {
      const index = (k + round) % fns.length
      samples[index]?.push(await perCall(n, fns[index] as (i: number) => Promise<unknown>))
    }
  }
  return samples.map(median)
}

const PYTHON = process.env.BENCH_PYTHON ?? 'python3'
const PYTHON_SCRIPT = path.join(__dirname, 'python', 'original.py')
const run = promisify(execFile)

/** µs per call of the Python original over `calls` calls (it warms up first), or why it cannot run here. */
async function pythonPerCall(file: string, calls: number): Promise<number> {
  const { stdout } = await run(PYTHON, [PYTHON_SCRIPT, file, String(LOOKUP_USERS), String(calls)], { maxBuffer: 1 << 16 })
  return (JSON.parse(stdout) as { us_per_call: number }).us_per_call
}

const fmt = (us: number): string => `${us.toFixed(2)} µs`

/** The five wrappers' work, written by hand: what `stacked` does, minus the wrappers. */
function handWritten(db: Database, findUser: (conn: Connection, sql: string, id: number) => Promise<UsersRow[]>, logger: ReturnType<typeof createLogger>) {
  const lru = new LRUCache<string, { value: UsersRow[] }>({ max: 500, ttl: 60_000 })
  const statements = new WeakMap<object, { begin: SqliteStatement; commit: SqliteStatement; rollback: SqliteStatement }>()
  const log = logger.child({ fn: 'findUser', sql: BY_ID })
  return async (sql: string, id: number): Promise<UsersRow[]> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const conn = await openConnection(db)
        try {
          log.info('query')
          const started = performance.now()
          const key = `${sql}\u0002${id}`
          let rows = lru.get(key)?.value
          if (rows === undefined) {
            const raw = conn.raw as SqliteDriverConnection
            let s = statements.get(raw)
            if (s === undefined) statements.set(raw, (s = { begin: raw.prepare('BEGIN DEFERRED'), commit: raw.prepare('COMMIT'), rollback: raw.prepare('ROLLBACK') }))
            s.begin.run()
            try {
              rows = await findUser(conn, sql, id)
              s.commit.run()
            } catch (err) {
              s.rollback.run()
              throw err
            }
            lru.set(key, { value: rows })
          }
          log.info({ durationMs: Math.round((performance.now() - started) * 1000) / 1000, ok: true }, 'query done')
          return rows
        } finally {
          await conn.release()
        }
      } catch (err) {
        if (attempt > 3 || !isTransientError(err)) throw err
      }
    }
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'decorators-bench-'))
  const db = await openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`)
  const lookupDb = await openDatabase(`sqlite:${path.join(dir, 'lookup.sqlite')}`)
  let failed = false
  try {
    await seed(db, USERS)
    await seed(lookupDb, LOOKUP_USERS)
    console.log(`decorators-0x01 bench: SQLite (better-sqlite3, WAL), ${ROUNDS} alternating rounds, medians; Node ${process.version}`)

    // 1. cache hit vs miss, cache outside the connection (a hit checks nothing out of the pool)
    const cache = new QueryCache({ max: 500, ttl: 60_000 })
    const fetchUsers = cacheQuery(withDbConnection(async (conn: Connection, query: string) => conn.query<UsersRow>(query), { db }), { cache, scope: db })
    const [miss, hit] = await compare(
      300,
      () => {
        cache.clear()
        return fetchUsers(ALL_USERS)
      },
      () => fetchUsers(ALL_USERS),
    )
    const ratio = miss / hit
    const cacheOk = ratio >= 100
    failed ||= !cacheOk
    console.log(`\n1. cacheQuery on "${ALL_USERS}" (${USERS} rows)`)
    console.log(`   miss (query runs, result kept)   ${fmt(miss)}`)
    console.log(`   hit                              ${fmt(hit)}`)
    console.log(`   hit is ${ratio.toFixed(0)}× faster (bar ≥ 100×) ${cacheOk ? 'ok' : 'MISSED'}`)

    // the course's order, withDbConnection(cacheQuery(fn)): a hit still checks a connection out (no bar)
    const courseCache = new QueryCache()
    const courseOrder = withDbConnection(cacheQuery(async (conn: Connection, query: string) => conn.query<UsersRow>(query), { cache: courseCache }), { db })
    const [courseMiss, courseHit] = await compare(
      300,
      () => {
        courseCache.clear()
        return courseOrder(ALL_USERS)
      },
      () => courseOrder(ALL_USERS),
    )
    console.log(`   course order withDbConnection(cacheQuery(fn)): miss ${fmt(courseMiss)}, hit ${fmt(courseHit)} (${(courseMiss / courseHit).toFixed(0)}×; the hit still pays a pool checkout)`)

    // 2. all five stacked vs the bare call, every call a miss: ids cycle through LOOKUP_USERS users, ten times
    // the 500-entry caches, so no id is still cached when it comes round again
    const findUser = async (conn: Connection, sql: string, id: number): Promise<UsersRow[]> => conn.query<UsersRow>(sql, [id])
    const bare = async (sql: string, id: number): Promise<UsersRow[]> => {
      const conn = await openConnection(lookupDb)
      try {
        return await findUser(conn, sql, id)
      } finally {
        await conn.release()
      }
    }
    const nullDestination = { write: (_line: string): void => undefined }
    const logger = createLogger({ level: 'info' }, nullDestination)
    const fresh = (): QueryCache => new QueryCache({ max: 500 })
    const stack = (): ((sql: string, id: number) => Promise<UsersRow[]>) =>
      retryOnFailure({ retries: 3, delay: 50 })(withDbConnection(logQueries(cacheQuery(transactional(findUser), { cache: fresh() }), { logger, name: 'findUser' }), { db: lookupDb }))
    const N = 2000
    let next = 0
    const id = (): number => (next++ % LOOKUP_USERS) + 1
    const stacked = stack()
    const hand = handWritten(lookupDb, findUser, logger)
    const [bareUs = 0, handUs = 0, stackedUs = 0] = await rotate(N, [() => bare(BY_ID, id()), () => hand(BY_ID, id()), () => stacked(BY_ID, id())])
    const overhead = stackedUs / bareUs - 1
    const stackOk = overhead <= 0.2
    failed ||= !stackOk
    const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`
    console.log(`\n2. all five stacked on "${BY_ID}" (${LOOKUP_USERS} users, every lookup finds one) vs the bare call, every call a cache miss`)
    console.log(`   bare call: checkout, findUser, release           ${fmt(bareUs).padStart(10)}`)
    console.log(`   the five wrappers' work by hand, no wrappers     ${fmt(handUs).padStart(10)}  ${pct(handUs / bareUs - 1).padStart(7)} over bare`)
    console.log(`   all five stacked                                 ${fmt(stackedUs).padStart(10)}  ${pct(overhead).padStart(7)} over bare, ${pct(stackedUs / handUs - 1)} over the same work by hand`)
    console.log(`   all five: ${pct(overhead)} over the bare call (bar ≤ 20%) ${stackOk ? 'ok' : 'MISSED'}`)

    // where the time goes, layer by layer (no bar; measured after the headline, each layer a fresh wrapper)
    const layers: Array<[string, (sql: string, id: number) => Promise<unknown>]> = [
      ['bare call', bare],
      ['withDbConnection(findUser)', withDbConnection(findUser, { db: lookupDb })],
      ['  + transactional (BEGIN … COMMIT)', withDbConnection(transactional(findUser), { db: lookupDb })],
      ['  + cacheQuery (a miss: key, LRU insert)', withDbConnection(cacheQuery(transactional(findUser), { cache: fresh() }), { db: lookupDb })],
      ['  + logQueries (2 lines, pino info → null)', withDbConnection(logQueries(cacheQuery(transactional(findUser), { cache: fresh() }), { logger }), { db: lookupDb })],
      ['  + retryOnFailure: all five', stack()],
    ]
    const medians = await rotate(N, layers.map(([, fn]) => () => fn(BY_ID, id())))
    console.log('   layer by layer:')
    layers.forEach(([label], i) => {
      const us = medians[i] ?? 0
      const step = i === 0 ? '' : `  step ${(us - (medians[i - 1] ?? 0) >= 0 ? '+' : '')}${(us - (medians[i - 1] ?? 0)).toFixed(2)} µs`
      console.log(`     ${label.padEnd(44)} ${fmt(us).padStart(10)}  ${i === 0 ? '' : `${pct(us / (medians[0] ?? 1) - 1).padStart(7)} over bare`}${step}`)
    })

    // for contrast (no bar): the same stack when the call repeats, i.e. answered by the cache
    const repeated = stack()
    const [bareSame, stackedSame] = await compare(N, () => bare(BY_ID, 1), () => repeated(BY_ID, 1))
    console.log(`   same id every call (cache hits inside a checkout): bare ${fmt(bareSame)}, stacked ${fmt(stackedSame)} (${pct(stackedSame / bareSame - 1)})`)

    // 3. against the Python original, alternating a Python run and one of ours every round
    let pythonNote = 'not measured'
    let pythonOk = true
    try {
      await pythonPerCall(path.join(dir, 'lookup.sqlite'), 200)
      const ours: number[] = []
      const theirs: number[] = []
      const python = stack()
      for (let round = 0; round < ROUNDS; round += 1) {
        if (round % 2 === 0) theirs.push(await pythonPerCall(path.join(dir, 'lookup.sqlite'), N))
        ours.push(await perCall(N, () => python(BY_ID, id())))
        if (round % 2 === 1) theirs.push(await pythonPerCall(path.join(dir, 'lookup.sqlite'), N))
      }
      const [oursUs, theirsUs] = [median(ours), median(theirs)]
      pythonOk = oursUs < theirsUs
      pythonNote = `${(theirsUs / oursUs).toFixed(1)}× faster than the Python original (${pythonOk ? 'ok' : 'MISSED'})`
      console.log(`\n3. the same stack against the Python original (${path.basename(PYTHON_SCRIPT)}: the course's decorators, a new sqlite3 connection per call)`)
      console.log(`   Python, all five stacked   ${fmt(theirsUs).padStart(10)}`)
      console.log(`   ours, all five stacked     ${fmt(oursUs).padStart(10)}   ${pythonNote}`)
    } catch (err) {
      pythonNote = `not measured: ${PYTHON} could not run ${path.basename(PYTHON_SCRIPT)} (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`
      console.log(`\n3. ${pythonNote}`)
    }
    failed ||= !pythonOk

    console.log(
      `\nsummary: cache hit ${ratio.toFixed(0)}× faster than a miss (≥100× ${cacheOk ? 'ok' : 'MISSED'}); five wrappers ${pct(overhead)} over the bare call (≤20% ${stackOk ? 'ok' : 'MISSED'}); the same work by hand ${pct(handUs / bareUs - 1)}, the wrappers ${pct(stackedUs / handUs - 1)} over it; ${pythonNote}`,
    )
  } finally {
    await lookupDb.close()
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
  if (failed) process.exitCode = 1
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
