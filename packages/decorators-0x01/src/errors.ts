/** Stable error codes of `@alx/decorators-0x01`; match on `err.code`, never on messages. */
export type DecoratorErrorCode = 'DECORATOR_ERROR' | 'TX_ABORTED' | 'NO_CONNECTION'

/**
 * Base class of the errors this package throws itself (driver errors pass through unchanged).
 * @example
 * if (err instanceof DecoratorError) logger.warn({ code: err.code }, err.message)
 */
export class DecoratorError extends Error {
  readonly code: DecoratorErrorCode = 'DECORATOR_ERROR'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/**
 * The enclosing transaction is already gone (the server rolled it back after a deadlock, or the connection
 * was lost), so nothing more may run in it; `cause` is the error that ended it. Retrying *inside* that
 * transaction cannot help, so `retryOnFailure` does not retry this error — retry the whole transaction.
 * @example
 * retryOnFailure()(withDbConnection(transactional(transfer))) // the right order: a fresh transaction per attempt
 */
export class TransactionAbortedError extends DecoratorError {
  override readonly code = 'TX_ABORTED'
  constructor(cause: unknown) {
    super('The enclosing transaction was rolled back by the database; retry the whole transaction, not a part of it', { cause })
  }
}

/**
 * A class-method decorator needed a connection and none was bound (no `@WithDbConnection()` above it).
 * @example
 * new NoConnectionError('@Transactional() on updateEmail needs a connection: put @WithDbConnection() above it')
 */
export class NoConnectionError extends DecoratorError {
  override readonly code = 'NO_CONNECTION'
}
