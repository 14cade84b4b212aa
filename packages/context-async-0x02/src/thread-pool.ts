import { logger } from '@alx/db-core'
import { SqliteWorkerConnection } from './worker-connection'
import type { WorkerConnectionOptions } from './worker-connection'

/** Idle SQLite threads kept per file and settings. */
const MAX_IDLE_PER_FILE = 4
/** How long an idle thread waits to be reused before it closes. */
const IDLE_TIMEOUT_MS = 10_000

interface Idle {
  readonly conn: SqliteWorkerConnection
  readonly timer: NodeJS.Timeout
}

const idle = new Map<string, Idle[]>()
const keys = new WeakMap<SqliteWorkerConnection, string>()

function keyOf(filename: string, options: WorkerConnectionOptions): string {
  return JSON.stringify([filename, options.busyTimeoutMs ?? null, options.batchSize ?? null, options.cancelGraceMs ?? null])
}

function closeQuietly(conn: SqliteWorkerConnection): Promise<void> {
  return conn.close().catch((err: unknown) => logger.warn({ err, filename: conn.filename }, 'closing an idle SQLite thread failed'))
}

/**
 * An SQLite connection on a thread of its own, reusing an idle one for the same file when there is one: starting a
 * worker thread and loading the driver in it costs 30–50 ms (much more on a busy machine), which would otherwise be
 * paid by every `asyncFetchUsers()` call. A reused connection is checked to still point at the same file.
 */
export async function acquireThread(filename: string, options: WorkerConnectionOptions): Promise<SqliteWorkerConnection> {
  const key = keyOf(filename, options)
  const list = idle.get(key)
  for (let entry = list?.pop(); entry; entry = list?.pop()) {
    clearTimeout(entry.timer)
    if (!entry.conn.closed && entry.conn.fileUnchanged) return entry.conn
    void closeQuietly(entry.conn)
  }
  const conn = await SqliteWorkerConnection.open(filename, options)
  keys.set(conn, key)
  return conn
}

/**
 * Gives a connection back once its statements have settled: kept idle (unref'd, so it never holds the process open)
 * for reuse, or closed when enough are idle already.
 */
export async function releaseThread(conn: SqliteWorkerConnection): Promise<void> {
  await conn.drain()
  const key = keys.get(conn)
  const list = key === undefined ? undefined : (idle.get(key) ?? [])
  if (conn.closed || key === undefined || list === undefined || list.length >= MAX_IDLE_PER_FILE) return conn.close()
  const timer = setTimeout(() => {
    const current = idle.get(key)
    const at = current?.findIndex((e) => e.conn === conn) ?? -1
    if (current && at >= 0) current.splice(at, 1)
    void closeQuietly(conn)
  }, IDLE_TIMEOUT_MS)
  timer.unref()
  list.push({ conn, timer })
  idle.set(key, list)
}

/**
 * Closes every idle SQLite thread now (before deleting a database file, or at shutdown); connections in use are
 * not affected.
 * @example
 * await closeIdleThreads()
 */
export async function closeIdleThreads(): Promise<void> {
  const all = [...idle.values()].flat()
  idle.clear()
  for (const entry of all) clearTimeout(entry.timer)
  await Promise.all(all.map((entry) => closeQuietly(entry.conn)))
}

/**
 * How many idle SQLite threads are kept for reuse right now.
 * @example
 * idleThreadCount() // 0 after closeIdleThreads()
 */
export function idleThreadCount(): number {
  let n = 0
  for (const list of idle.values()) n += list.length
  return n
}
