import { Worker } from 'node:worker_threads'
import type { Database, UsersRow } from '@alx/db-core'
import { COURSE_USERS } from '../../src'
import { withDatabaseUrl } from '../tasks/helpers'

/** The seeded course users as the database returns them, ids in insertion order. */
export function expectedUsers(): UsersRow[] {
  return COURSE_USERS.map((u, i) => ({ id: i + 1, ...u }))
}

export function byId(rows: readonly UsersRow[]): UsersRow[] {
  return [...rows].sort((a, b) => a.id - b.id)
}

let stepsPerMs: number | undefined

/** How many recursive-CTE steps SQLite runs per millisecond here (measured once, on the main thread). */
async function cteStepsPerMs(db: Database): Promise<number> {
  if (stepsPerMs === undefined) {
    // The fastest of a few runs: a single cold run (or one taken while turbo runs other packages) under-measures
    // the machine, and the "slow" queries then finish too fast once it is quiet.
    const steps = 300_000
    let best = 0
    for (let run = 0; run < 4; run++) {
      const start = performance.now()
      await db.knex.raw(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${steps}) SELECT count(*) AS n FROM c`)
      best = Math.max(best, steps / (performance.now() - start))
    }
    stepsPerMs = best
  }
  return stepsPerMs
}

/**
 * A statement that keeps its connection busy for about `ms`: on SQLite a recursive CTE (CPU in SQLite's VM), sized
 * by measuring this machine; on MariaDB `SLEEP`. `rows` makes the CTE return every row instead of one count (so it
 * can be cancelled between rows).
 */
export async function slowQuery(db: Database, options: { readonly ms?: number; readonly rows?: boolean; readonly tag?: string } = {}): Promise<string> {
  const ms = options.ms ?? 300
  const tag = options.tag ? ` /* ${options.tag} */` : ''
  if (db.dialect === 'mysql') return `SELECT SLEEP(${ms / 1000}) AS n${tag}`
  const steps = Math.round(ms * (await cteStepsPerMs(db)))
  const cte = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${steps})`
  return (options.rows ? `${cte} SELECT x FROM c` : `${cte} SELECT count(*) AS n FROM c`) + tag
}

/** Replaces `users` with a view holding one user that takes about `ms` to read, so the course queries are slow. */
export async function createSlowUsersView(db: Database, ms: number, scale = 1): Promise<void> {
  await db.knex.raw('DROP VIEW IF EXISTS users')
  await db.knex.schema.dropTableIfExists('users')
  if (db.dialect === 'mysql') {
    await db.knex.raw(`CREATE VIEW users AS SELECT 1 AS id, 'Slow Sam' AS name, 'sam@example.org' AS email, 41 + SLEEP(${ms / 1000}) AS age`)
  } else {
    const steps = Math.round(ms * scale * (await cteStepsPerMs(db)))
    await db.knex.raw(
      `CREATE VIEW users AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${steps}) ` +
        `SELECT 1 AS id, 'Slow Sam' AS name, 'sam@example.org' AS email, 41 + n % 1 AS age FROM (SELECT count(*) AS n FROM c)`,
    )
  }
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now()
  const result = await fn()
  return { result, ms: performance.now() - start }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export { withDatabaseUrl }

const BUSY_WORKER = `
const { parentPort } = require('node:worker_threads')
parentPort.on('message', (n) => { let x = 0; for (let i = 0; i < n; i++) x = (x + i) % 1000003; parentPort.postMessage(x) })`

/**
 * How much faster two CPU-bound threads finish a fixed amount of work side by side than one after the other, on this
 * machine right now: about 0.5 with two idle cores, 1.0 when only one core is free because other jobs are running.
 * A CPU-bound SQLite query cannot overlap better than this, so the timing bars are read against it.
 */
export class ParallelismProbe implements AsyncDisposable {
  readonly #workers: Worker[]
  constructor(workers: Worker[]) {
    this.#workers = workers
  }

  static async start(): Promise<ParallelismProbe> {
    const spawn = async (): Promise<Worker> => {
      const w = new Worker(BUSY_WORKER, { eval: true })
      await new Promise((resolve) => w.once('online', resolve))
      return w
    }
    return new ParallelismProbe([await spawn(), await spawn()])
  }

  /** Runs `iterations` of arithmetic per thread sequentially, then concurrently; returns concurrent / sequential time. */
  async ratio(iterations = 30_000_000): Promise<number> {
    const burn = (w: Worker): Promise<unknown> =>
      new Promise((resolve) => {
        w.once('message', resolve)
        w.postMessage(iterations)
      })
    const seq = await timed(async () => {
      for (const w of this.#workers) await burn(w)
    })
    const conc = await timed(() => Promise.all(this.#workers.map(burn)))
    return conc.ms / seq.ms
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()))
  }
}
