import path from 'node:path'
import { InvalidDatabaseUrlError } from './errors'

/**
 * The dialects every module of the course runs on: SQLite and MySQL/MariaDB. `Database`, `TestDatabase` and
 * `testDialects()` are typed with it, so modules written for these two keep exhaustive `Record<Dialect, …>`s.
 */
export type Dialect = 'sqlite' | 'mysql'

/** Every dialect db-core opens: `Dialect` and PostgreSQL, which a module opts in to (`AnyDatabase`). */
export type AnyDialect = Dialect | 'postgres'

/** How a PostgreSQL connection uses TLS, from the URL's `?sslmode=` (libpq's names). */
export type PostgresSslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full'

/** A parsed database URL: an SQLite file (or `:memory:`), a MySQL/MariaDB server or a PostgreSQL server. */
export type DatabaseConfig =
  | { readonly dialect: 'sqlite'; readonly filename: string; readonly url: string }
  | {
      readonly dialect: 'mysql'
      readonly host: string
      readonly port: number
      readonly user: string
      readonly password: string
      readonly database: string | undefined
      readonly url: string
    }
  | {
      readonly dialect: 'postgres'
      readonly host: string
      readonly port: number
      readonly user: string
      readonly password: string
      /** The database the URL names; without one PostgreSQL connects to the database named like the user. */
      readonly database: string | undefined
      /** `?sslmode=`; `disable` unless given (`allow` and `prefer` connect without TLS too). */
      readonly sslmode: PostgresSslMode
      /** `?application_name=`, shown in `pg_stat_activity`. */
      readonly applicationName: string | undefined
      readonly url: string
    }

/** A parsed URL of a server (every dialect but SQLite). */
export type ServerDatabaseConfig = Exclude<DatabaseConfig, { readonly dialect: 'sqlite' }>

const SSL_MODES: readonly PostgresSslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']
const POSTGRES_OPTIONS = new Set(['sslmode', 'application_name'])

/**
 * The URL with any password replaced by `***`, safe for logs and error messages.
 * @example
 * maskUrl('mysql://root:secret@127.0.0.1/test') // 'mysql://root:***@127.0.0.1/test'
 */
export function maskUrl(url: string): string {
  // The password runs to the last `@`, as the WHATWG URL parser reads it: an unencoded `@` in it stays hidden.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)(.*)@(?=[^@]*$)/is, '$1***@')
}

/**
 * The directory the user ran the command in: pnpm's `INIT_CWD` (pnpm runs scripts in the package folder), else
 * `process.cwd()`. Relative paths in URLs and CLI options resolve from here, in every package.
 * @example
 * userCwd() // '/home/ada/alx' for `pnpm --filter @alx/db-core seed` run in /home/ada/alx
 */
export function userCwd(env: NodeJS.ProcessEnv = process.env): string {
  const init = env.INIT_CWD
  return init !== undefined && path.isAbsolute(init) ? init : process.cwd()
}

/**
 * `file` made absolute from the directory the user ran the command in (see `userCwd`).
 * @example
 * resolveUserPath('my.csv') // '/home/ada/alx/my.csv'
 */
export function resolveUserPath(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(userCwd(env), file)
}

/** Options of `parseDatabaseUrl`. */
export interface ParseDatabaseUrlOptions {
  /**
   * Where a relative SQLite path starts.
   * @default userCwd()
   */
  readonly cwd?: string
}

/** Where the embedded SQLite database lives unless `DATABASE_URL` says otherwise: `<repo>/.data/alx.sqlite`. */
export const DEFAULT_SQLITE_FILE = path.resolve(__dirname, '..', '..', '..', '.data', 'alx.sqlite')

/**
 * The URL `openDatabase()` uses without an argument: `DATABASE_URL`, else the embedded SQLite file.
 * @example
 * defaultDatabaseUrl() // 'sqlite:/…/.data/alx.sqlite' when DATABASE_URL is unset
 */
export function defaultDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.DATABASE_URL?.trim()
  return fromEnv ? fromEnv : `sqlite:${DEFAULT_SQLITE_FILE}`
}

/**
 * Parses `sqlite:<path>`, `sqlite::memory:`, `mysql://user:pass@host:port/db` (also `mariadb://`) and
 * `postgres://user:pass@host:port/db` (also `postgresql://`; options `?sslmode=` and `?application_name=`).
 * SQLite paths: `sqlite:./x.db` or `sqlite:x.db` (relative to the directory the command was run in, see
 * `userCwd`), `sqlite:/abs/x.db` and `sqlite:///abs/x.db` (absolute). `sqlite://x/y.db` is rejected: it reads as
 * a host `x`, and is no path anyone means without doubt.
 * @throws {InvalidDatabaseUrlError} naming the URL (password masked) and what is wrong with it.
 * @example
 * parseDatabaseUrl('mysql://root@127.0.0.1:3306/test').port // 3306
 */
export function parseDatabaseUrl(url: string, options: ParseDatabaseUrlOptions = {}): DatabaseConfig {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new InvalidDatabaseUrlError(String(url), 'expected a non-empty string such as "sqlite:./app.db", "mysql://user@127.0.0.1:3306/db" or "postgres://user@127.0.0.1:5432/db"')
  }
  const masked = maskUrl(url)
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase()
  if (scheme === 'sqlite' || scheme === 'sqlite3' || scheme === 'file') {
    let rest = url.slice(scheme.length + 1).split('?')[0] ?? ''
    if (rest.startsWith('//')) {
      const after = rest.slice(2)
      if (!after.startsWith('/') && after !== ':memory:') {
        const relative = after.replace(/^\.\//, '')
        throw new InvalidDatabaseUrlError(
          masked,
          `"${scheme}://" is followed by a host, not a path: write "sqlite:./${relative}" for a file relative to where you are, or "sqlite:/${relative}" for an absolute path`,
        )
      }
      rest = after
    }
    try {
      rest = decodeURIComponent(rest)
    } catch (cause) {
      throw new InvalidDatabaseUrlError(masked, 'bad %-escape in the path', { cause })
    }
    if (rest === '') throw new InvalidDatabaseUrlError(masked, 'missing the file path (use "sqlite:./file.db" or "sqlite::memory:")')
    const filename = rest === ':memory:' ? ':memory:' : path.resolve(options.cwd ?? userCwd(), rest)
    return { dialect: 'sqlite', filename, url: masked }
  }
  const postgres = scheme === 'postgres' || scheme === 'postgresql'
  if (scheme === 'mysql' || scheme === 'mariadb' || scheme === 'mysql2' || postgres) {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch (cause) {
      throw new InvalidDatabaseUrlError(masked, 'not a valid URL', { cause })
    }
    if (!parsed.hostname) throw new InvalidDatabaseUrlError(masked, 'missing the host')
    const port = parsed.port === '' ? (postgres ? 5432 : 3306) : Number(parsed.port)
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new InvalidDatabaseUrlError(masked, `bad port "${parsed.port}"`)
    let database: string
    let user: string
    let password: string
    try {
      database = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
      user = decodeURIComponent(parsed.username)
      password = decodeURIComponent(parsed.password)
    } catch (cause) {
      throw new InvalidDatabaseUrlError(masked, 'bad %-escape in the user, password or database name', { cause })
    }
    if (database.includes('/')) throw new InvalidDatabaseUrlError(masked, `bad database name "${database}"`)
    const host = parsed.hostname.replace(/^\[|\]$/g, '')
    if (postgres) {
      for (const key of parsed.searchParams.keys()) {
        if (!POSTGRES_OPTIONS.has(key)) throw new InvalidDatabaseUrlError(masked, `unknown option "${key}" (PostgreSQL URLs take ?sslmode= and ?application_name=)`)
      }
      const sslmode = parsed.searchParams.get('sslmode') ?? 'disable'
      if (!(SSL_MODES as readonly string[]).includes(sslmode)) throw new InvalidDatabaseUrlError(masked, `bad sslmode "${sslmode}" (use one of ${SSL_MODES.join(', ')})`)
      return {
        dialect: 'postgres',
        host,
        port,
        user: user || 'postgres',
        password,
        database: database === '' ? undefined : database,
        sslmode: sslmode as PostgresSslMode,
        applicationName: parsed.searchParams.get('application_name') ?? undefined,
        url: masked,
      }
    }
    return {
      dialect: 'mysql',
      host,
      port,
      user: user || 'root',
      password,
      database: database === '' ? undefined : database,
      url: masked,
    }
  }
  throw new InvalidDatabaseUrlError(masked, scheme ? `unsupported scheme "${scheme}:" (use sqlite:, mysql:// or postgres://)` : 'missing a scheme (use sqlite:, mysql:// or postgres://)')
}
