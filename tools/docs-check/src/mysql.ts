// README commands that name a mysql:// URL run against fresh databases made for the check on the MYSQL_URL
// server: every database a block names (`…/test`, `…/learner_prodev`) is mapped to one of its own.
import { randomBytes } from 'node:crypto'
import { openDatabase } from '@alx/db-core'
import type { Database } from '@alx/db-core'

const MYSQL_URL_IN_TEXT = /mysql:\/\/[^\s'"`]+/g

/** Fresh databases on one MySQL/MariaDB server, dropped by `close()`. */
export interface MysqlScratch {
  /**
   * The text with every mysql:// URL pointed at the check's server and a fresh database per database name
   * (created on first use; a URL with no database keeps none).
   */
  rewrite(text: string): Promise<string>
  /** The text with the fresh databases' names turned back into the names the README used. */
  restore(text: string): string
  /** The databases made so far, by the name the README used. */
  readonly databases: ReadonlyMap<string, string>
  close(): Promise<void>
}

/** True when the text names a mysql:// URL. */
export function namesMysql(text: string): boolean {
  return /mysql:\/\//.test(text)
}

/**
 * Opens a scratch on the server of `serverUrl` (MYSQL_URL).
 * @example
 * const mysql = await openMysqlScratch(process.env.MYSQL_URL)
 * await mysql.rewrite('DATABASE_URL=mysql://root@127.0.0.1:3306/test pnpm demo') // …/dc_3f2a_test
 */
export async function openMysqlScratch(serverUrl: string): Promise<MysqlScratch> {
  const server = new URL(serverUrl)
  const db: Database = await openDatabase(serverUrl, { pool: { max: 1 } })
  const tag = `dc${randomBytes(3).toString('hex')}`
  const databases = new Map<string, string>()
  const fresh = async (name: string): Promise<string> => {
    const known = databases.get(name)
    if (known !== undefined) return known
    const made = `${tag}_${name}`.slice(0, 64)
    await db.knex.raw(`DROP DATABASE IF EXISTS \`${made}\``)
    await db.knex.raw(`CREATE DATABASE \`${made}\` CHARACTER SET utf8mb4`)
    databases.set(name, made)
    return made
  }
  return {
    databases,
    async rewrite(text) {
      const urls = [...new Set(text.match(MYSQL_URL_IN_TEXT) ?? [])]
      let out = text
      for (const url of urls) {
        const named = new URL(url)
        const name = decodeURIComponent(named.pathname.replace(/^\//, ''))
        const target = new URL(server.href)
        target.pathname = name === '' ? '' : `/${await fresh(name)}`
        target.search = named.search
        out = out.split(url).join(target.href.replace(/\/$/, ''))
      }
      return out
    },
    restore(text) {
      let out = text
      for (const [name, made] of databases) out = out.split(made).join(name)
      return out
    },
    async close() {
      try {
        for (const made of databases.values()) await db.knex.raw(`DROP DATABASE IF EXISTS \`${made}\``)
      } finally {
        await db.close()
      }
    },
  }
}
