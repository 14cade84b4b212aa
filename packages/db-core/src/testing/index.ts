import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase } from '../database'
import type { Database, OpenDatabaseOptions } from '../database'
import { parseDatabaseUrl } from '../url'
import type { Dialect } from '../url'

/**
 * The dialects integration tests run on: SQLite always, MySQL/MariaDB when `MYSQL_URL` is set.
 * @example
 * describe.each(testDialects())('streamRows on %s', (dialect) => { … })
 */
export function testDialects(env: NodeJS.ProcessEnv = process.env): Dialect[] {
  return env.MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite']
}

/** A database of its own for one test file: dropped (MySQL) or deleted (SQLite) when disposed. */
export interface TestDatabase extends Database {
  /** A URL that opens the same database again (for a second handle, e.g. to make lock contention). */
  readonly rawUrl: string
}

/**
 * Creates a fresh, empty database for a test: a temp SQLite file, or a uniquely named database on the
 * `MYSQL_URL` server (so packages tested in parallel never share tables). Dispose it to clean up.
 * @example
 * await using db = await createTestDb('mysql')
 */
export async function createTestDb(dialect: Dialect = 'sqlite', options: OpenDatabaseOptions = {}): Promise<TestDatabase> {
  let rawUrl: string
  let cleanup: () => Promise<void>
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-test-'))
    rawUrl = `sqlite:${path.join(dir, 'test.sqlite')}`
    cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }))
  } else {
    const serverUrl = process.env.MYSQL_URL
    if (!serverUrl) throw new Error('createTestDb("mysql") needs MYSQL_URL, e.g. mysql://root@127.0.0.1:3306/test')
    const config = parseDatabaseUrl(serverUrl)
    if (config.dialect !== 'mysql') throw new Error(`MYSQL_URL must be a mysql:// URL, got ${config.url}`)
    const name = `alx_t_${process.pid}_${randomBytes(4).toString('hex')}`
    const server = await openDatabase(serverUrl, { pool: { max: 1 } })
    try {
      await server.knex.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
    } finally {
      await server.close()
    }
    const auth = config.password ? `${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}` : encodeURIComponent(config.user)
    rawUrl = `mysql://${auth}@${config.host}:${config.port}/${name}`
    cleanup = async () => {
      const admin = await openDatabase(serverUrl, { pool: { max: 1 } })
      try {
        await admin.knex.raw(`DROP DATABASE IF EXISTS \`${name}\``)
      } finally {
        await admin.close()
      }
    }
  }
  const db = await openDatabase(rawUrl, options)
  let disposed: Promise<void> | undefined
  const close = (): Promise<void> => {
    disposed ??= db.close().then(cleanup)
    return disposed
  }
  return {
    knex: db.knex,
    dialect: db.dialect,
    url: db.url,
    config: db.config,
    rawUrl,
    get closed() {
      return db.closed
    },
    poolStats: () => db.poolStats(),
    close,
    [Symbol.asyncDispose]: close,
  }
}
