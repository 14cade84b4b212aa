import { openDatabase } from '@alx/db-core'
import type { Database } from '@alx/db-core'

let opening: Promise<Database> | undefined
let opened: Database | undefined

/**
 * The database `withDbConnection` uses when given none, opened once on first use: `DATABASE_URL`, else the
 * embedded SQLite file (the course's `sqlite3.connect('users.db')`).
 * @example
 * const db = await getDefaultDatabase()
 */
export function getDefaultDatabase(): Promise<Database> {
  opening ??= openDatabase().then(
    (db) => (opened = db),
    (err: unknown) => {
      opening = undefined
      throw err
    },
  )
  return opening
}

/** The default database if it is open already (no side effect). */
export function defaultDatabaseIfOpen(): Database | undefined {
  return opened
}

/**
 * Closes the default database so a script can exit; the next use opens it again.
 * @example
 * await closeDefaultDatabase()
 */
export async function closeDefaultDatabase(): Promise<void> {
  const current = opening
  opening = undefined
  opened = undefined
  if (current !== undefined) await (await current).close()
}
