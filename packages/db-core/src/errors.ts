/** Stable error codes of `@alx/db-core`; match on `err.code`, never on messages. */
export type DatabaseErrorCode =
  | 'DB_ERROR'
  | 'DB_INVALID_URL'
  | 'DB_UNREACHABLE'
  | 'DB_TIMEOUT'
  | 'DB_AUTH'
  | 'DB_NO_DATABASE'
  | 'DB_MISSING_DATABASE'
  | 'DB_FILE'
  | 'DB_TRANSIENT'
  | 'DB_CSV_INVALID_ROW'
  | 'DB_CSV_INVALID_HEADER'
  | 'DB_CSV_FILE'
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

/** Where a connection failure happened: the server (or file), its masked URL and the database it names. */
export interface ConnectionErrorDetails {
  /** `MySQL at 127.0.0.1:3306`, `PostgreSQL at 127.0.0.1:5432` or `SQLite file /abs/x.db`. */
  readonly server: string
  /** The URL, password masked. */
  readonly url: string
  /** The database the URL names (MySQL, PostgreSQL), if any. */
  readonly database?: string | undefined
  readonly cause?: unknown
}

/**
 * Base of the errors met while connecting: each message is one line naming the server, the cause and the fix,
 * and ends with the URL (password masked).
 * @example
 * if (err instanceof DatabaseConnectionError) console.error(err.message)
 */
export class DatabaseConnectionError extends DatabaseError {
  readonly server: string
  readonly url: string
  readonly database: string | undefined
  constructor(message: string, details: ConnectionErrorDetails) {
    super(message, { cause: details.cause })
    this.server = details.server
    this.url = details.url
    this.database = details.database
  }
}

/**
 * Nothing answers at the URL's host and port (refused, unknown host, no route, closed during the handshake).
 * @example
 * // cannot reach MySQL at 127.0.0.1:18399: connection refused — is the server running? (DATABASE_URL=mysql://root@127.0.0.1:18399/x)
 */
export class DatabaseUnreachableError extends DatabaseConnectionError {
  override readonly code = 'DB_UNREACHABLE'
}

/**
 * The server accepted the connection but did not complete the handshake within `connectTimeoutMs`.
 * @example
 * // cannot reach MySQL at 127.0.0.1:18400: no answer within 4 s — is this the server's port? (…)
 */
export class DatabaseTimeoutError extends DatabaseConnectionError {
  override readonly code = 'DB_TIMEOUT'
}

/**
 * The server refused the user or password of the URL (or the user's access to the database).
 * @example
 * // access denied for root@127.0.0.1: check the password in DATABASE_URL (DATABASE_URL=mysql://root:***@127.0.0.1:3306/test)
 */
export class DatabaseAuthError extends DatabaseConnectionError {
  override readonly code = 'DB_AUTH'
}

/**
 * A statement needed a database but the MySQL URL names none (`mysql://host:3306` without `/<name>`).
 * @example
 * // the URL names no database on MySQL at 127.0.0.1:3306: add /<name> (DATABASE_URL=mysql://root@127.0.0.1:3306)
 */
export class NoDatabaseSelectedError extends DatabaseConnectionError {
  override readonly code = 'DB_NO_DATABASE'
}

/**
 * The database the MySQL URL names does not exist on the server.
 * @example
 * // database "nope" does not exist on MySQL at 127.0.0.1:3306: create it (CREATE DATABASE nope) or fix the name in DATABASE_URL (…)
 */
export class MissingDatabaseError extends DatabaseConnectionError {
  override readonly code = 'DB_MISSING_DATABASE'
}

/**
 * The SQLite file (or its folder) cannot be created or opened.
 * @example
 * // cannot open SQLite file /proc/x/x.db: cannot create the folder /proc/x (ENOENT) — use a path in a folder you can write (…)
 */
export class DatabaseFileError extends DatabaseConnectionError {
  override readonly code = 'DB_FILE'
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
  override readonly code: DatabaseErrorCode = 'DB_CSV_INVALID_ROW'
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly value: unknown,
    reason: string,
    options?: { cause?: unknown },
  ) {
    // `value` undefined: the row as a whole (bad CSV syntax, bytes that are not UTF-8) — nothing to quote
    const shown = value === undefined ? '' : ` ${JSON.stringify(value)}`
    super(`${file}:${line}: invalid ${field}${shown}: ${reason}; nothing from this file was inserted`, options)
  }
}

/**
 * A CSV whose header is not the one expected; names the file, the expected columns and the header found.
 * @example
 * // users.csv:1: expected the header name,email,age (user_id optional, any order), got "name,mail,years": missing email, age; unknown mail, years; nothing from this file was inserted
 */
export class CsvHeaderError extends CsvRowError {
  override readonly code = 'DB_CSV_INVALID_HEADER'
  constructor(
    file: string,
    readonly expected: readonly string[],
    readonly got: readonly string[],
    reason: string,
  ) {
    super(file, 1, 'header', got.join(','), reason)
    this.message = `${file}:1: expected the header ${expected.join(',')} (user_id optional, any order), got ${JSON.stringify(got.join(','))}: ${reason}; nothing from this file was inserted`
  }
}

/**
 * A CSV that cannot be read (missing, a folder, no permission); names the absolute path it looked at.
 * @example
 * // cannot read the CSV /home/ada/my.csv: no such file (ENOENT); a relative path starts where you run the command (/home/ada)
 */
export class CsvFileError extends DatabaseError {
  override readonly code = 'DB_CSV_FILE'
  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot read the CSV ${file}: ${reason}`, options)
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

// PostgreSQL SQLSTATEs: serialization_failure, deadlock_detected, lock_not_available, too_many_connections,
// admin_shutdown, crash_shutdown, cannot_connect_now, and the connection_exception class (08000, 08003, 08006)
const POSTGRES_TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '53300', '57P01', '57P02', '57P03', '08000', '08003', '08006'])
// node-postgres's own errors for a connection lost mid-query carry no code
const POSTGRES_LOST_CONNECTION = new Set(['Connection terminated unexpectedly', 'Connection terminated', 'Client has encountered a connection error and is not queryable'])

/**
 * True when `err` (or any error in its `cause` chain) is worth retrying: SQLite BUSY/LOCKED, MySQL deadlock,
 * lock-wait timeout, too many connections or a lost connection, PostgreSQL serialization failure (40001),
 * deadlock (40P01), lock not available (55P03), too many connections (53300), an administrator's or crash
 * shutdown (57P01–57P03) or a lost connection (class 08, node-postgres's "Connection terminated
 * unexpectedly"), and knex pool acquire timeouts.
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
    // a PostgreSQL server error: pg's DatabaseError carries `severity` beside its five-character SQLSTATE
    if (typeof code === 'string' && POSTGRES_TRANSIENT_SQLSTATES.has(code) && typeof (current as { severity?: unknown }).severity === 'string') return true
    const message = (current as { message?: unknown }).message
    if (code === undefined && typeof message === 'string' && POSTGRES_LOST_CONNECTION.has(message)) return true
    if (name === 'KnexTimeoutError') return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
