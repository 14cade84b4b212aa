// `pnpm --filter @alx/db-core bench`: streams N synthetic user_data rows (default 1M) through streamRows on
// SQLite (and MariaDB when MYSQL_URL is set), beside the raw driver path in the same run, alternating the two
// over several rounds and comparing medians. Fails if streamRows < 85% of raw rows/s or grows RSS > 64 MB.
import os from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { openConnection, openDatabase, streamRows } from '../src'
import type { Database, MysqlDriverConnection, SqliteDriverConnection, UserDataRow } from '../src'
import { RssProbe, fmtRate, median } from './harness'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SQL = 'SELECT user_id, name, email, age FROM user_data'
const SAMPLE_EVERY = 8192

interface Run {
  rate: number
  rssMb: number
}

async function ensureSeeded(db: Database, url: string): Promise<void> {
  const has = await db.knex.schema.hasTable('user_data')
  const count = has ? Number((await db.knex('user_data').count<Array<{ n: number }>>({ n: '*' }))[0]?.n ?? 0) : 0
  if (count === ROWS) return
  if (has) await db.knex('user_data').del()
  // Seed in a child process so its garbage does not inflate this process's RSS baseline.
  const t0 = performance.now()
  execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'bin', 'seed.ts'), '--rows', String(ROWS), '--url', url], { stdio: 'ignore' })
  console.log(`  seeded ${ROWS.toLocaleString('en-US')} rows on ${db.dialect} in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

/** For contrast only: knex's own `.stream()`, which on SQLite reads the whole result first. */
async function knexStream(db: Database): Promise<Run> {
  const probe = new RssProbe()
  probe.start()
  const t0 = performance.now()
  let n = 0
  const stream = db.knex.raw(SQL).stream()
  for await (const _row of stream) if (++n % SAMPLE_EVERY === 0) probe.sample()
  probe.sample()
  return { rate: n / ((performance.now() - t0) / 1000), rssMb: probe.peakGrowthMb() }
}

async function ours(db: Database): Promise<Run> {
  const probe = new RssProbe()
  probe.start()
  const t0 = performance.now()
  let n = 0
  let sum = 0
  for await (const row of streamRows<UserDataRow>(db, SQL, { batchSize: 1000 })) {
    sum += row.age
    if (++n % SAMPLE_EVERY === 0) probe.sample()
  }
  probe.sample()
  if (n !== ROWS || sum <= 0) throw new Error(`streamRows saw ${n} rows`)
  return { rate: n / ((performance.now() - t0) / 1000), rssMb: probe.peakGrowthMb() }
}

async function raw(db: Database): Promise<Run> {
  const probe = new RssProbe()
  probe.start()
  await using conn = await openConnection(db)
  const t0 = performance.now()
  let n = 0
  let sum = 0
  if (db.dialect === 'sqlite') {
    // the driver's own cursor, consumed synchronously: the fastest the driver can go
    for (const row of (conn.raw as SqliteDriverConnection).prepare(SQL).iterate() as IterableIterator<UserDataRow>) {
      sum += row.age
      if (++n % SAMPLE_EVERY === 0) probe.sample()
    }
  } else {
    // mysql2's row stream with plain 'data' events, no async iteration
    await new Promise<void>((resolve, reject) => {
      const stream = (conn.raw as MysqlDriverConnection).query(SQL, []).stream({ highWaterMark: 1000 })
      stream.on('data', (row: UserDataRow) => {
        sum += row.age
        if (++n % SAMPLE_EVERY === 0) probe.sample()
      })
      stream.on('end', resolve)
      stream.on('error', reject)
    })
  }
  probe.sample()
  if (n !== ROWS || sum <= 0) throw new Error(`raw saw ${n} rows`)
  return { rate: n / ((performance.now() - t0) / 1000), rssMb: probe.peakGrowthMb() }
}

async function benchDialect(url: string): Promise<{ dialect: string; ours: Run; raw: Run; ok: boolean }> {
  await using db = await openDatabase(url)
  await ensureSeeded(db, url)
  await ours(db) // warm-up both paths (JIT, page cache, buffer pool)
  await raw(db)
  const a: Run[] = []
  const b: Run[] = []
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      a.push(await ours(db))
      b.push(await raw(db))
    } else {
      b.push(await raw(db))
      a.push(await ours(db))
    }
  }
  const result = {
    dialect: db.dialect,
    ours: { rate: median(a.map((r) => r.rate)), rssMb: Math.max(...a.map((r) => r.rssMb)) },
    raw: { rate: median(b.map((r) => r.rate)), rssMb: Math.max(...b.map((r) => r.rssMb)) },
    ok: false,
  }
  const ratio = result.ours.rate / result.raw.rate
  result.ok = ratio >= 0.85 && result.ours.rssMb <= 64
  console.log(
    `  ${db.dialect}: streamRows ${fmtRate(result.ours.rate)} (peak RSS +${result.ours.rssMb.toFixed(1)} MB) | raw driver ${fmtRate(result.raw.rate)} (+${result.raw.rssMb.toFixed(1)} MB) | ${(ratio * 100).toFixed(0)}% of raw ${result.ok ? 'PASS' : 'FAIL (bar: ≥85% of raw, ≤64 MB)'}`,
  )
  if (db.dialect === 'sqlite') {
    const knexRun = await knexStream(db) // last: it inflates this process's heap
    console.log(`  sqlite: for contrast, knex .stream() ${fmtRate(knexRun.rate)} with peak RSS +${knexRun.rssMb.toFixed(0)} MB (not part of the bar)`)
  }
  return result
}

async function main(): Promise<void> {
  console.log(`db-core bench: ${ROWS.toLocaleString('en-US')} rows, ${ROUNDS} alternating rounds, medians (node ${process.version})`)
  const results = [await benchDialect(`sqlite:${path.join(os.tmpdir(), `alx-bench-${ROWS}.sqlite`)}`)]
  const mysqlUrl = process.env.MYSQL_URL
  if (mysqlUrl) {
    const server = await openDatabase(mysqlUrl)
    await server.knex.raw('CREATE DATABASE IF NOT EXISTS alx_bench')
    await server.close()
    results.push(await benchDialect(mysqlUrl.replace(/\/[^/]*$/, '/alx_bench')))
  } else {
    console.log('  mysql: skipped (set MYSQL_URL to include MariaDB)')
  }
  const ok = results.every((r) => r.ok)
  console.log(
    `SUMMARY ${ok ? 'PASS' : 'FAIL'}: ` +
      results.map((r) => `${r.dialect} streamRows ${fmtRate(r.ours.rate)} = ${((r.ours.rate / r.raw.rate) * 100).toFixed(0)}% of raw, RSS +${r.ours.rssMb.toFixed(0)} MB`).join('; '),
  )
  process.exitCode = ok ? 0 : 1
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 2
})
