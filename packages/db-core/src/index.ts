export { openDatabase, assertOpen } from './database'
export type { Database, AnyDatabase, PostgresUrl, OpenDatabaseOptions, PoolStats } from './database'
export { parseDatabaseUrl, maskUrl, defaultDatabaseUrl, DEFAULT_SQLITE_FILE, userCwd, resolveUserPath } from './url'
export type { Dialect, AnyDialect, DatabaseConfig, ServerDatabaseConfig, PostgresSslMode, ParseDatabaseUrlOptions } from './url'
export { classifyDatabaseError, describeServer, statementError } from './classify'
export type { ClassifyOptions } from './classify'
export { openConnection, withConnection, beginTransaction, withTransaction, runOnRaw, preparedStatement, STATEMENT_CACHE_SIZE } from './connection'
export type { Connection, Transaction, TransactionScope, SqliteDriverConnection, SqliteStatement, MysqlDriverConnection, PostgresDriverConnection, PostgresResult, PostgresSubmittable } from './connection'
export { streamRows, streamBatches, keysetPages, compileQuery, assertPositiveInteger } from './stream'
export type { StreamQuery, StreamOptions, KeysetOptions } from './stream'
export {
  DatabaseError,
  InvalidDatabaseUrlError,
  DatabaseConnectionError,
  DatabaseUnreachableError,
  DatabaseTimeoutError,
  DatabaseAuthError,
  NoDatabaseSelectedError,
  MissingDatabaseError,
  DatabaseFileError,
  TransientDatabaseError,
  CsvRowError,
  CsvHeaderError,
  CsvFileError,
  DatabaseClosedError,
  isTransientError,
} from './errors'
export type { DatabaseErrorCode, ConnectionErrorDetails } from './errors'
export { createUserDataTable, createUsersTable, courseMigrations, migrateCourseSchema, USER_DATA_COLUMNS } from './schema'
export type { UserDataRow, UsersRow } from './schema'
export { seedUserDataFromCsv, seedSyntheticUsers, insertUserRows, SAMPLE_CSV_PATH } from './seed'
export type { SeedResult, SeedOptions } from './seed'
export { checkCsvHeader, csvRecordToRow, Utf8Check, CSV_COLUMNS } from './csv-rows'
export type { CsvHeader } from './csv-rows'
export { generateUserRows, writeSyntheticCsv, userIdFor } from './synthetic'
export { onQuery } from './query-events'
export type { QueryEvent } from './query-events'
export { logger, createLogger } from './logger'
export type { Logger } from './logger'
export { sqliteDriver, sqliteDriverPackage, sqliteDriverPath } from './sqlite-driver'
export type { SqliteDriver } from './sqlite-driver'
export { runCli, formatCliError, cliExitCode, parseCliArgs, UsageError } from './cli'
export type { CliIo, RunCliOptions } from './cli'
export { postgresTypes, toPositionalPlaceholders } from './postgres'
export type { PostgresTypeParsers } from './postgres'
export { pyRepr, pyRowRepr, PyTuple } from './py-repr'
