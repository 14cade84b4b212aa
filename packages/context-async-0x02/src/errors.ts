/**
 * An error raised by SQLite on a worker thread, rebuilt on the main thread with the driver's `code`
 * (`SQLITE_ERROR`, `SQLITE_BUSY`, …) so `isTransientError` and `err.code` checks work as with better-sqlite3.
 * @example
 * try { await conn.query('SELEC 1') } catch (err) { if (err instanceof SqliteError) console.error(err.code) }
 */
export class SqliteError extends Error {
  readonly code: string
  constructor(message: string, code: string) {
    super(message)
    this.name = 'SqliteError'
    this.code = code
  }
}

/**
 * The thread running an SQLite connection exited while a statement was in flight (a crash, or out of memory).
 * @example
 * if (err instanceof WorkerExitedError) logger.warn({ exitCode: err.exitCode }, 'SQLite worker died')
 */
export class WorkerExitedError extends Error {
  readonly code = 'ERR_SQLITE_WORKER_EXITED'
  constructor(
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(`The SQLite worker thread exited with code ${exitCode} while a statement was running`, options)
    this.name = 'WorkerExitedError'
  }
}
