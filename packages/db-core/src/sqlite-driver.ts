import type BetterSqlite3 from 'better-sqlite3'

/** The better-sqlite3 constructor (either major version; their JavaScript API is the same). */
export type SqliteDriver = typeof BetterSqlite3

/**
 * The better-sqlite3 package this Node.js runs SQLite with. better-sqlite3 12 is built on `node::ObjectWrap`,
 * which Node 24 aborts on (`Assertion failed: (env) != nullptr` in `RemoveEnvironmentCleanupHook`, when the
 * garbage collector frees a statement or a database; seen in our own test runs); better-sqlite3 13 is built
 * on Node-API, ships prebuilt binaries and needs Node 22, while it crashes on Node 20. So: 13 from Node 22
 * on, 12 before.
 */
export function sqliteDriverPackage(version: string = process.versions.node): 'better-sqlite3' | 'better-sqlite3-napi' {
  const major = Number(version.split('.')[0])
  return major >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3'
}

let driver: SqliteDriver | undefined

/**
 * The better-sqlite3 constructor for this Node.js (see `sqliteDriverPackage`), loaded once.
 * @example
 * const Database = sqliteDriver(); const raw = new Database(':memory:')
 */
export function sqliteDriver(): SqliteDriver {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- chosen at run time, by Node.js version
  driver ??= require(sqliteDriverPackage()) as SqliteDriver
  return driver
}

/**
 * Where that package's entry point is, for a worker thread to `require()` the same driver.
 * @example
 * new Worker(file, { workerData: { driver: sqliteDriverPath() } })
 */
export function sqliteDriverPath(): string {
  return require.resolve(sqliteDriverPackage())
}
