import { existsSync } from 'node:fs'
import { createUserDataTable, defaultDatabaseUrl, logger, openDatabase, parseDatabaseUrl, SAMPLE_CSV_PATH, seedUserDataFromCsv } from '@alx/db-core'
import type { Database, DatabaseConfig, SeedOptions, SeedResult } from '@alx/db-core'

/**
 * The course's database name (`ALX_prodev`); on SQLite the database is the file itself.
 * @example
 * await createDatabase(server, { name: PRODEV_DATABASE })
 */
export const PRODEV_DATABASE = 'ALX_prodev'

/** Where to connect. */
export interface ConnectOptions {
  /**
   * A `sqlite:` or `mysql://` URL.
   * @default `DATABASE_URL`, else the embedded SQLite file
   */
  readonly url?: string | undefined
}

/** Which database `createDatabase`, `databaseExists` and `connectToProdev` mean on MySQL. */
export interface DatabaseNameOptions {
  /**
   * The MySQL database name (letters, digits, `_`); ignored on SQLite, where the database is the file.
   * @default 'ALX_prodev'
   */
  readonly name?: string | undefined
}

const log = logger.child({ module: 'generators-0x00/seed' })

function assertDatabaseName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(name)) {
    throw new TypeError(`Expected \`name\` to be a database name of 1-64 letters, digits or underscores, got ${typeof name === 'string' ? JSON.stringify(name) : String(name)}.`)
  }
}

function mysqlUrl(config: Extract<DatabaseConfig, { dialect: 'mysql' }>, database: string): string {
  const auth = encodeURIComponent(config.user) + (config.password ? `:${encodeURIComponent(config.password)}` : '')
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  return `mysql://${auth}@${host}:${config.port}/${database}`
}

/**
 * Connects to the database server, as `connect_db()`: on MySQL the server without a database selected; on
 * SQLite the database file (created on first use).
 * @throws {InvalidDatabaseUrlError} for a bad URL; the driver's error when the server cannot be reached.
 * @example
 * await using server = await connectDb()
 */
export async function connectDb(options: ConnectOptions = {}): Promise<Database> {
  const url = options.url ?? defaultDatabaseUrl()
  const config = parseDatabaseUrl(url)
  return config.dialect === 'mysql' ? openDatabase(mysqlUrl(config, '')) : openDatabase(url)
}

/**
 * True when the course database exists: on MySQL the `ALX_prodev` schema (or `name`), on SQLite the file.
 * @example
 * if (await databaseExists(conn)) console.log('Database ALX_prodev is present ')
 */
export async function databaseExists(conn: Database, options: DatabaseNameOptions = {}): Promise<boolean> {
  const name = options.name ?? PRODEV_DATABASE
  assertDatabaseName(name)
  if (conn.config.dialect === 'sqlite') return conn.config.filename === ':memory:' || existsSync(conn.config.filename)
  const rows = (await conn.knex('INFORMATION_SCHEMA.SCHEMATA').select('SCHEMA_NAME').where('SCHEMA_NAME', name)) as unknown[]
  return rows.length > 0
}

/**
 * Creates the course database if it does not exist, as `create_database(connection)`: `CREATE DATABASE IF NOT
 * EXISTS ALX_prodev` on MySQL, the database file on SQLite.
 * @returns true when it was created, false when it already existed.
 * @example
 * await createDatabase(server)
 */
export async function createDatabase(conn: Database, options: DatabaseNameOptions = {}): Promise<boolean> {
  const name = options.name ?? PRODEV_DATABASE
  assertDatabaseName(name)
  const existed = await databaseExists(conn, { name })
  if (conn.dialect === 'sqlite') {
    // better-sqlite3 creates the file when the first connection opens.
    await conn.knex.raw('SELECT 1')
  } else {
    await conn.knex.raw(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4`)
  }
  log.debug({ name, created: !existed }, 'database ready')
  return !existed
}

/**
 * Connects to the course database, as `connect_to_prodev()`: `ALX_prodev` (or `name`) on the MySQL server of
 * the URL, or the SQLite file.
 * @example
 * await using conn = await connectToProdev()
 */
export async function connectToProdev(options: ConnectOptions & DatabaseNameOptions = {}): Promise<Database> {
  const url = options.url ?? defaultDatabaseUrl()
  const name = options.name ?? PRODEV_DATABASE
  assertDatabaseName(name)
  const config = parseDatabaseUrl(url)
  return config.dialect === 'mysql' ? openDatabase(mysqlUrl(config, name)) : openDatabase(url)
}

/**
 * Creates `user_data` (`user_id` CHAR(36) primary key, `name`, `email`, `age` DECIMAL) if missing, as
 * `create_table(connection)`.
 * @returns true when the table was created, false when it already existed.
 * @example
 * await createTable(conn)
 */
export async function createTable(conn: Database): Promise<boolean> {
  const created = await createUserDataTable(conn)
  log.debug({ created }, 'table user_data ready')
  return created
}

/**
 * Inserts the rows of a course-shaped CSV (`name,email,age`, optional `user_id`) into `user_data`, as
 * `insert_data(connection, data)`: streamed in batches inside one transaction, rows already present skipped (so
 * it is idempotent), a progress bar on a TTY for large files, and a bad row rejected with its line number.
 * @throws {CsvRowError} naming the file, line and value of the first bad row; nothing from the file is inserted.
 * @example
 * const { inserted, skipped } = await insertData(conn, 'user_data.csv')
 */
export async function insertData(conn: Database, csvPath: string = SAMPLE_CSV_PATH, options: SeedOptions = {}): Promise<SeedResult> {
  if (typeof csvPath !== 'string' || csvPath === '') throw new TypeError(`Expected \`csvPath\` to be a file path, got ${String(csvPath)}.`)
  const result = await seedUserDataFromCsv(conn, csvPath, options)
  log.debug({ csvPath, ...result }, 'user_data seeded')
  return result
}
