// `pnpm --filter @alx/decorators-0x01 bench`, on a temp SQLite file, in one process:
//  1. a cacheQuery hit against the miss it replaces (the course's `SELECT * FROM users`): bar ≥ 100×;
//  2. all five wrappers stacked on a one-row SQLite lookup against the bare call — the same function, the
//     same query, on a connection checked out of the same pool and given back — every stacked call a
//     cache miss (so the query really runs, in a transaction, with two log lines serialised by pino at
//     info level into a null destination): bar ≤ 20% over bare.
// Each pair is warmed up, then alternated over ROUNDS rounds (order swapped every round); medians compared.
// Exits 1 when a bar is missed; the last line is the summary.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createLogger, createUsersTable, openConnection, openDatabase } from '@alx/db-core'
import type { Connection, Database, UsersRow } from '@alx/db-core'
import { cacheQuery, logQueries, QueryCache, retryOnFailure, transactional, withDbConnection } from '../src'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15)
const USERS = 200
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

async function seed(db: Database): Promise<void> {
  await createUsersTable(db)
  const rows = Array.from({ length: USERS }, (_, i) => ({ name: `User ${i + 1}`, email: `user${i + 1}@example.com`, age: 20 + (i % 50) }))
  for (let i = 0; i < rows.length; i += 100) await db.knex('users').insert(rows.slice(i, i + 100))
}

const fmt = (us: number): string => `${us.toFixed(2)} µs`

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'decorators-bench-'))
  const db = await openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`)
  let failed = false
  try {
    await seed(db)
    console.log(`decorators-0x01 bench: SQLite (better-sqlite3, WAL), ${USERS} users, ${ROUNDS} alternating rounds, medians; Node ${process.version}`)

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

    // 2. all five stacked vs the bare call, every stacked call a miss; the layers in between show where time goes
    const findUser = async (conn: Connection, sql: string, id: number): Promise<UsersRow[]> => conn.query<UsersRow>(sql, [id])
    const bare = async (sql: string, id: number): Promise<UsersRow[]> => {
      const conn = await openConnection(db)
      try {
        return await findUser(conn, sql, id)
      } finally {
        await conn.release()
      }
    }
    const nullDestination = { write: (_line: string): void => undefined }
    const logger = createLogger({ level: 'info' }, nullDestination)
    const fresh = (): QueryCache => new QueryCache({ max: 500 })
    const layers: Array<[string, (sql: string, id: number) => Promise<unknown>]> = [
      ['bare call: checkout, findUser, release', bare],
      ['withDbConnection(findUser)', withDbConnection(findUser, { db })],
      ['  + transactional (BEGIN IMMEDIATE … COMMIT)', withDbConnection(transactional(findUser), { db })],
      ['  + cacheQuery (a miss: key, LRU insert)', withDbConnection(cacheQuery(transactional(findUser), { cache: fresh() }), { db })],
      ['  + logQueries (2 lines, pino info → null)', withDbConnection(logQueries(cacheQuery(transactional(findUser), { cache: fresh() }), { logger }), { db })],
      ['  + retryOnFailure: all five', retryOnFailure({ retries: 3, delay: 50 })(withDbConnection(logQueries(cacheQuery(transactional(findUser), { cache: fresh() }), { logger }), { db }))],
    ]
    // ids run through 4,000 values, never repeating within a 500-entry cache: every stacked call runs its query
    const N = 2000
    let next = 0
    const samples = layers.map((): number[] => [])
    for (const [, fn] of layers) await perCall(N, () => fn(BY_ID, (next++ % (USERS * 20)) + 1))
    for (let round = 0; round < ROUNDS; round += 1) {
      // rotate the order every round so no layer always runs first or last
      for (let k = 0; k < layers.length; k += 1) {
        const index = (k + round) % layers.length
        const fn = (layers[index] as [string, (sql: string, id: number) => Promise<unknown>])[1]
        samples[index]?.push(await perCall(N, () => fn(BY_ID, (next++ % (USERS * 20)) + 1)))
      }
    }
    const medians = samples.map(median)
    const bareUs = medians[0] ?? 0
    const stackedUs = medians[medians.length - 1] ?? 0
    const overhead = stackedUs / bareUs - 1
    const stackOk = overhead <= 0.2
    failed ||= !stackOk
    console.log(`\n2. all five stacked on "${BY_ID}" vs the bare call, every call a cache miss`)
    layers.forEach(([label], i) => {
      const us = medians[i] ?? 0
      const step = i === 0 ? '' : `  step ${(us - (medians[i - 1] ?? 0) >= 0 ? '+' : '')}${(us - (medians[i - 1] ?? 0)).toFixed(2)} µs`
      console.log(`   ${label.padEnd(46)} ${fmt(us).padStart(10)}  ${i === 0 ? '' : `${((us / bareUs - 1) * 100).toFixed(1).padStart(6)}% over bare`}${step}`)
    })
    console.log(`   all five: +${(overhead * 100).toFixed(1)}% over the bare call (bar ≤ 20%) ${stackOk ? 'ok' : 'MISSED'}`)

    // for contrast (no bar): the same stack when the call repeats, i.e. answered by the cache
    const repeated = retryOnFailure({ retries: 3, delay: 50 })(withDbConnection(logQueries(cacheQuery(transactional(findUser), { cache: fresh() }), { logger }), { db }))
    const [bareSame, stackedSame] = await compare(N, () => bare(BY_ID, 1), () => repeated(BY_ID, 1))
    console.log(`   same id every call (cache hits inside a checkout): bare ${fmt(bareSame)}, stacked ${fmt(stackedSame)} (${((stackedSame / bareSame - 1) * 100).toFixed(1)}%)`)

    console.log(
      `\nsummary: cache hit ${ratio.toFixed(0)}× faster than a miss (≥100× ${cacheOk ? 'ok' : 'MISSED'}); five wrappers +${(overhead * 100).toFixed(1)}% over the bare call (≤20% ${stackOk ? 'ok' : 'MISSED'})`,
    )
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
  if (failed) process.exitCode = 1
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
