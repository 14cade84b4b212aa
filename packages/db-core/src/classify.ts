import {
  DatabaseAuthError,
  DatabaseError,
  DatabaseFileError,
  DatabaseTimeoutError,
  DatabaseUnreachableError,
  MissingDatabaseError,
  NoDatabaseSelectedError,
} from './errors'
import type { DatabaseConfig } from './url'

/** How a classified error names the URL it came from. */
export interface ClassifyOptions {
  /**
   * True when the URL is `DATABASE_URL`'s: the message then says "check … in DATABASE_URL" and ends with
   * `(DATABASE_URL=…)`; otherwise "in the URL" and `(url …)`.
   * @default false
   */
  readonly fromEnv?: boolean
  /**
   * The URL a message ends with when it is not the one opened (masked): `DATABASE_URL` as the user wrote it,
   * when a module opened another database on the same server.
   * @default the URL opened
   */
  readonly shownUrl?: string
  /**
   * The connect timeout in milliseconds, named in a timeout's message.
   * @default 4000
   */
  readonly connectTimeoutMs?: number
}

interface DriverFault {
  readonly code?: unknown
  readonly errno?: unknown
  readonly name?: unknown
  readonly message?: unknown
  readonly cause?: unknown
  readonly errors?: unknown
}

/** The first error in `err`'s cause chain (or an AggregateError's first member) that carries a string `code`. */
function coded(err: unknown): DriverFault | undefined {
  const seen = new Set<unknown>()
  let current: unknown = err
  // `typeof`, not `instanceof`: under jest driver errors come from another realm
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current)
    const fault = current as DriverFault
    if (typeof fault.code === 'string') return fault
    if (Array.isArray(fault.errors) && fault.errors.length > 0) current = fault.errors[0]
    else current = fault.cause
  }
  return undefined
}

function hasKnexTimeout(err: unknown): boolean {
  const seen = new Set<unknown>()
  let current: unknown = err
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current)
    if ((current as DriverFault).name === 'KnexTimeoutError') return true
    current = (current as DriverFault).cause
  }
  return false
}

/**
 * `MySQL at 127.0.0.1:3306` or `SQLite file /abs/x.db`: what a message names as the server.
 * @example
 * describeServer(parseDatabaseUrl('mysql://root@127.0.0.1/test')) // 'MySQL at 127.0.0.1:3306'
 */
export function describeServer(config: DatabaseConfig): string {
  if (config.dialect === 'sqlite') return `SQLite file ${config.filename}`
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  return `${config.dialect === 'postgres' ? 'PostgreSQL' : 'MySQL'} at ${host}:${config.port}`
}

/** node-postgres's own connect failures, which carry no `code`: its connect timeout and a socket closed early. */
function pgConnectFault(err: unknown): 'timeout' | 'closed' | undefined {
  const seen = new Set<unknown>()
  let current: unknown = err
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current)
    const message = (current as DriverFault).message
    if (message === 'timeout expired' || message === 'Connection terminated due to connection timeout') return 'timeout'
    if (message === 'Connection terminated unexpectedly' || message === 'Connection terminated') return 'closed'
    current = (current as DriverFault).cause
  }
  return undefined
}

function seconds(ms: number): string {
  const s = ms / 1000
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`
}

/**
 * Turns a driver error met while connecting or on a first statement into the typed `DatabaseError` that says
 * what to do, or returns undefined when it is none of those (a syntax error, a constraint, …).
 * Recognised: ECONNREFUSED, ENOTFOUND/EAI_AGAIN, EHOSTUNREACH/ENETUNREACH, ECONNRESET during the handshake,
 * ETIMEDOUT and knex acquire timeouts (`DatabaseTimeoutError` only when `atConnect`), ER_ACCESS_DENIED_ERROR,
 * ER_DBACCESS_DENIED_ERROR, ER_NO_DB_ERROR, ER_BAD_DB_ERROR, SQLITE_CANTOPEN and file-system errors
 * (EACCES, ENOENT, EROFS, ENOTDIR) on an SQLite file; on PostgreSQL 28P01 (wrong password), 28000 (an unknown
 * role, no pg_hba.conf entry), 3D000 (no such database) and node-postgres's connect timeout.
 * @example
 * classifyDatabaseError(err, parseDatabaseUrl(url), { fromEnv: true })?.message
 * // 'cannot reach MySQL at 127.0.0.1:18399: connection refused — is the server running? (DATABASE_URL=mysql://root@127.0.0.1:18399/x)'
 */
export function classifyDatabaseError(err: unknown, config: DatabaseConfig, options: ClassifyOptions & { readonly atConnect?: boolean } = {}): DatabaseError | undefined {
  if (err instanceof DatabaseError) return err
  const where = options.fromEnv ? 'DATABASE_URL' : 'the URL'
  const shown = options.shownUrl ?? config.url
  const tail = options.fromEnv ? `(DATABASE_URL=${shown})` : `(url ${shown})`
  const server = describeServer(config)
  const fault = coded(err)
  const code = typeof fault?.code === 'string' ? fault.code : undefined
  const detail = typeof fault?.message === 'string' ? fault.message : err instanceof Error ? err.message : String(err)

  if (config.dialect === 'sqlite') {
    const details = { server, url: config.url, cause: err }
    if (code === 'SQLITE_CANTOPEN' || code?.startsWith('SQLITE_CANTOPEN_') || code === 'SQLITE_READONLY' || code === 'SQLITE_NOTADB') {
      return new DatabaseFileError(`cannot open ${server}: ${detail} — check that its folder exists and you can write to it ${tail}`, details)
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EISDIR') {
      return new DatabaseFileError(`cannot open ${server}: ${detail} — use a path in a folder you can write ${tail}`, details)
    }
    return undefined
  }

  const details = { server, url: config.url, database: config.database, cause: err }
  const user = `${config.user}@${config.host}`
  const ms = options.connectTimeoutMs ?? 4000
  const scheme = config.dialect === 'postgres' ? 'postgres' : 'mysql'
  const product = config.dialect === 'postgres' ? 'PostgreSQL' : 'MySQL'
  if (config.dialect === 'postgres') {
    switch (code) {
      case '28P01':
        return new DatabaseAuthError(
          config.password === ''
            ? `access denied for ${user} (no password given): add it to ${where} as postgres://${config.user}:<password>@… ${tail}`
            : `access denied for ${user}: check the password in ${where} ${tail}`,
          details,
        )
      case '28000':
        return new DatabaseAuthError(
          /does not exist/.test(detail)
            ? `access denied for ${user}: role "${config.user}" does not exist — create it (CREATE ROLE "${config.user}" LOGIN) or fix the user in ${where} ${tail}`
            : `access denied for ${user}: ${detail} — check the user in ${where} and the server's pg_hba.conf ${tail}`,
          details,
        )
      case '3D000':
        return new MissingDatabaseError(
          `database "${config.database ?? config.user}" does not exist on ${server}: create it (CREATE DATABASE "${config.database ?? config.user}") or fix the name in ${where} ${tail}`,
          details,
        )
      default:
    }
    if (code === undefined && options.atConnect === true) {
      const fault = pgConnectFault(err)
      if (fault === 'timeout') return new DatabaseTimeoutError(`cannot reach ${server}: no answer within ${seconds(ms)} — is the server up, and is this its port? ${tail}`, details)
      if (fault === 'closed') return new DatabaseUnreachableError(`cannot reach ${server}: the server closed the connection during the handshake — is it a ${product} server? ${tail}`, details)
    }
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new DatabaseUnreachableError(`cannot reach ${server}: connection refused — is the server running? ${tail}`, details)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new DatabaseUnreachableError(`cannot reach ${server}: host "${config.host}" not found — check the host in ${where} ${tail}`, details)
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new DatabaseUnreachableError(`cannot reach ${server}: no route to the host — check the host in ${where} and your network ${tail}`, details)
    case 'ETIMEDOUT':
      return new DatabaseTimeoutError(`cannot reach ${server}: no answer within ${seconds(ms)} — is the server up, and is this its port? ${tail}`, details)
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return new DatabaseAuthError(
        config.password === ''
          ? `access denied for ${user} (no password given): add it to ${where} as ${scheme}://${config.user}:<password>@… ${tail}`
          : `access denied for ${user}: check the password in ${where} ${tail}`,
        details,
      )
    case 'ER_DBACCESS_DENIED_ERROR':
      return new DatabaseAuthError(`access denied for ${user} to database "${config.database ?? ''}": grant it access or name another database in ${where} ${tail}`, details)
    case 'ER_NO_DB_ERROR':
      return new NoDatabaseSelectedError(`the URL names no database on ${server}: add /<name> ${tail}`, details)
    case 'ER_BAD_DB_ERROR':
      return new MissingDatabaseError(
        `database "${config.database ?? ''}" does not exist on ${server}: create it (CREATE DATABASE \`${config.database ?? ''}\`) or fix the name in ${where} ${tail}`,
        details,
      )
    default:
  }
  if (options.atConnect === true) {
    if (code === 'ECONNRESET' || code === 'PROTOCOL_CONNECTION_LOST' || code === 'EPIPE' || code === 'HANDSHAKE_NO_SSL_SUPPORT') {
      return new DatabaseUnreachableError(`cannot reach ${server}: the server closed the connection during the handshake — is it a ${product} server? ${tail}`, details)
    }
    if (hasKnexTimeout(err)) {
      return new DatabaseTimeoutError(`cannot reach ${server}: no connection within the acquire timeout — is the server up, and is this its port? ${tail}`, details)
    }
  }
  return undefined
}

const optionsByHandle = new WeakMap<object, ClassifyOptions>()

/**
 * Records how `openDatabase` opened `handle`, for the messages of errors met later on its connections.
 * @example
 * rememberClassifyOptions(db, { fromEnv: true, connectTimeoutMs: 4000 })
 */
export function rememberClassifyOptions(handle: object, options: ClassifyOptions): void {
  optionsByHandle.set(handle, options)
}

/**
 * The typed error for a statement that failed because of the URL (no database selected, a database that does
 * not exist), else `err` itself: for code that runs SQL on a raw connection rather than through knex.
 * @example
 * stream.on('error', (err) => fail(statementError(err, db)))
 */
export function statementError(err: unknown, db: { readonly config: DatabaseConfig }): unknown {
  const code = (err as { code?: unknown } | null)?.code
  if (code !== 'ER_NO_DB_ERROR' && code !== 'ER_BAD_DB_ERROR') return err
  return classifyDatabaseError(err, db.config, optionsByHandle.get(db) ?? {}) ?? err
}
