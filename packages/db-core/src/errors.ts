/** Stable error codes of `@alx/db-core`; match on `err.code`, never on messages. */
export type DatabaseErrorCode =
  | 'DB_ERROR'
  | 'DB_INVALID_URL'
  | 'DB_TRANSIENT'
  | 'DB_CSV_INVALID_ROW'
  | 'DB_CLOSED'

/**
 * Base class of every error this package throws; carries a stable `code` and the driver error as `cause`.
 * @example
 * try { await openDatabase('pg://x') } catch (err) { if (err instanceof DatabaseError) console.error(err.code) }
 */
export class DatabaseError extends Error {
  readonly code: DatabaseErrorCode = 'DB_ERROR'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/**
 * A database URL that cannot be used; the message names the URL with its password masked.
 * @example
 * new InvalidDatabaseUrlError('postgres://u:***@h/db', 'unsupported scheme "postgres:"')
 */
export class InvalidDatabaseUrlError extends DatabaseError {
  override readonly code = 'DB_INVALID_URL'
  readonly url: string
  constructor(maskedUrl: string, reason: string, options?: { cause?: unknown }) {
    super(`Invalid database URL "${maskedUrl}": ${reason}`, options)
    this.url = maskedUrl
  }
}

/**
 * A failure that may succeed if retried (lock contention, deadlock, lost connection); see `isTransientError`.
 * @example
 * throw new TransientDatabaseError('deadlock', { cause: driverError })
 */
export class TransientDatabaseError extends DatabaseError {
  override readonly code = 'DB_TRANSIENT'
}

/**
 * A CSV row that cannot be seeded; names the 1-based line of the file and the bad value.
 * @example
 * new CsvRowError('data.csv', 12, 'age', 'abc', 'age must be a non-negative number')
 */
export class CsvRowError extends DatabaseError {
  override readonly code = 'DB_CSV_INVALID_ROW'
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly value: unknown,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}:${line}: invalid ${field} ${JSON.stringify(value)}: ${reason}; nothing from this file was inserted`, options)
  }
}

/**
 * The handle was used after `close()`.
 * @example
 * await db.close(); await openConnection(db) // throws DatabaseClosedError
 */
export class DatabaseClosedError extends DatabaseError {
  override readonly code = 'DB_CLOSED'
}

const SQLITE_TRANSIENT = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE'])
// ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK, ER_CON_COUNT_ERROR, CR_SERVER_GONE_ERROR, CR_SERVER_LOST, ER_QUERY_INTERRUPTED (server shutdown)
const MYSQL_TRANSIENT_ERRNO = new Set([1205, 1213, 1040, 2006, 2013])
const MYSQL_TRANSIENT_CODES = new Set([
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
])

/**
 * True when `err` (or any error in its `cause` chain) is worth retrying: SQLite BUSY/LOCKED, MySQL deadlock,
 * lock-wait timeout, too many connections or a lost connection, and knex pool acquire timeouts.
 * @example
 * if (isTransientError(err)) await sleep(backoff)
 */
export function isTransientError(err: unknown): boolean {
  const seen = new Set<unknown>()
  let current: unknown = err
  // `typeof`, not `instanceof Object`: driver errors may come from another realm (jest's module registry).
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current)
    if (current instanceof TransientDatabaseError || (current as { code?: unknown }).code === 'DB_TRANSIENT') return true
    const { code, errno, name } = current as { code?: unknown; errno?: unknown; name?: unknown }
    if (typeof code === 'string' && (SQLITE_TRANSIENT.has(code) || MYSQL_TRANSIENT_CODES.has(code))) return true
    if (typeof errno === 'number' && MYSQL_TRANSIENT_ERRNO.has(errno) && typeof code === 'string' && code.startsWith('ER_')) return true
    if (name === 'KnexTimeoutError') return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
