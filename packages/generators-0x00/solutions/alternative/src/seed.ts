// Task 0 (the course's seed.py): create the ALX_prodev database and the user_data table, and fill it from a CSV.
import { existsSync } from 'node:fs'
import { createUserDataTable, defaultDatabaseUrl, openDatabase, parseDatabaseUrl, SAMPLE_CSV_PATH, seedUserDataFromCsv } from '@alx/db-core'
import type { Database, DatabaseConfig, SeedOptions, SeedResult } from '@alx/db-core'

export const PRODEV_DATABASE = 'ALX_prodev'

export interface ConnectOptions {
  readonly url?: string | undefined
}

export interface DatabaseNameOptions {
  readonly name?: string | undefined
}

type MysqlConfig = Extract<DatabaseConfig, { dialect: 'mysql' }>

/** Builds a mysql:// URL for the server of `config`, with `database` as its path ('' for none). */
function mysqlUrl(config: MysqlConfig, database: string): string {
  let credentials = encodeURIComponent(config.user)
  if (config.password !== '') credentials += ':' + encodeURIComponent(config.password)
  return `mysql://${credentials}@${config.host}:${config.port}/${database}`
}

/** Refuses a database name we could not safely put between backticks. */
function checkName(name: string): void {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) {
    throw new TypeError(`Expected the database name to be 1-64 letters, digits or underscores, got ${JSON.stringify(name)}.`)
  }
}

/** connect_db(): connects to the database server (on MySQL, with no database selected). */
export async function connectDb(options: ConnectOptions = {}): Promise<Database> {
  const url = options.url ?? defaultDatabaseUrl()
  const config = parseDatabaseUrl(url)
  if (config.dialect === 'mysql') {
    return openDatabase(mysqlUrl(config, ''))
  }
  // On SQLite the database is the file itself.
  return openDatabase(url)
}

/** Whether the database `name` exists (on SQLite: whether the file exists). */
export async function databaseExists(conn: Database, options: DatabaseNameOptions = {}): Promise<boolean> {
  const name = options.name ?? PRODEV_DATABASE
  if (conn.config.dialect === 'sqlite') {
    const filename = conn.config.filename
    return filename === ':memory:' || existsSync(filename)
  }
  const rows = await conn.knex('INFORMATION_SCHEMA.SCHEMATA').select('SCHEMA_NAME').where('SCHEMA_NAME', name)
  return rows.length > 0
}

/** create_database(connection): creates the database if it is missing; true when it created it. */
export async function createDatabase(conn: Database, options: DatabaseNameOptions = {}): Promise<boolean> {
  const name = options.name ?? PRODEV_DATABASE
  checkName(name)
  const existed = await databaseExists(conn, { name })
  if (existed) return false
  if (conn.dialect === 'mysql') {
    await conn.knex.raw(`CREATE DATABASE IF NOT EXISTS \`${name}\``)
  } else {
    // Any query makes SQLite create the file.
    await conn.knex.raw('SELECT 1')
  }
  return true
}

/** connect_to_prodev(): connects to the database `name` (on SQLite, to the file of the URL). */
export async function connectToProdev(options: ConnectOptions & DatabaseNameOptions = {}): Promise<Database> {
  const url = options.url ?? defaultDatabaseUrl()
  const name = options.name ?? PRODEV_DATABASE
  const config = parseDatabaseUrl(url)
  if (config.dialect === 'mysql') {
    checkName(name)
    return openDatabase(mysqlUrl(config, name))
  }
  return openDatabase(url)
}

/** create_table(connection): creates user_data if it does not exist; true when it created it. */
export async function createTable(conn: Database): Promise<boolean> {
  return createUserDataTable(conn)
}

/** insert_data(connection, data): inserts the rows of the CSV, skipping the user_ids already in the table. */
export async function insertData(conn: Database, csvPath: string = SAMPLE_CSV_PATH, options: SeedOptions = {}): Promise<SeedResult> {
  return seedUserDataFromCsv(conn, csvPath, options)
}
