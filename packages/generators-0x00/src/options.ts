import { openDatabase } from '@alx/db-core'
import type { Database } from '@alx/db-core'

/** The optional last argument of every function in this package. */
export interface DbOptions {
  /**
   * The database to read; it is left open for the caller.
   * @default a handle from `openDatabase()` (`DATABASE_URL`, else the embedded SQLite file), closed when done
   */
  readonly db?: Database | undefined
}

/** A database to use, and whether this call opened it (and so must close it). */
export interface DatabaseLease {
  readonly db: Database
  /** Closes the handle if this call opened it; a no-op for a caller's handle. */
  close(): Promise<void>
}

/** A short, safe rendering of a bad value for an error message. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'object' && value !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name
    return name && name !== 'Object' ? `an instance of ${name}` : 'an object'
  }
  return String(value)
}

function isDatabase(value: unknown): value is Database {
  return typeof value === 'object' && value !== null && typeof (value as Database).poolStats === 'function' && 'knex' in value
}

/**
 * Checks the options object eagerly, so a bad `db` fails at the call site rather than at the first `next()`.
 * @example
 * assertDbOptions({ db }) // passes; assertDbOptions({ db: 'x' }) throws a TypeError
 */
export function assertDbOptions(options: unknown): asserts options is DbOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected the options to be an object like \`{ db }\`, got ${shown(options)}.`)
  }
  const { db } = options as { db?: unknown }
  if (db !== undefined && !isDatabase(db)) {
    throw new TypeError(`Expected \`db\` to be a Database from openDatabase(), got ${shown(db)}.`)
  }
}

/**
 * The caller's `db`, or a fresh `openDatabase()` handle that `close()` closes again.
 * @example
 * const lease = await leaseDatabase(options)
 * try { await lease.db.knex('user_data').count() } finally { await lease.close() }
 */
export async function leaseDatabase(options: DbOptions): Promise<DatabaseLease> {
  if (options.db) return { db: options.db, close: () => Promise.resolve() }
  const db = await openDatabase()
  return { db, close: () => db.close() }
}

/**
 * Runs `fn` with the caller's database or a handle opened (and closed again) for this call.
 * @example
 * const n = await withDatabase({}, (db) => db.knex('user_data').count())
 */
export async function withDatabase<T>(options: DbOptions, fn: (db: Database) => Promise<T>): Promise<T> {
  const lease = await leaseDatabase(options)
  try {
    return await fn(lease.db)
  } finally {
    await lease.close()
  }
}
