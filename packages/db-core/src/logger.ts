import pino from 'pino'
import type { Logger, LoggerOptions } from 'pino'

/**
 * Creates a pino logger with the workspace defaults: level from `LOG_LEVEL`, `silent` under jest unless set.
 * @example
 * const log = createLogger({ name: 'seed' }); log.info({ rows: 10 }, 'seeded')
 */
export function createLogger(options: LoggerOptions = {}, destination?: pino.DestinationStream): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info')
  return destination ? pino({ level, ...options }, destination) : pino({ level, ...options })
}

/**
 * The shared logger of the database layer.
 * @example
 * logger.debug({ sql }, 'query')
 */
export const logger: Logger = createLogger({ name: 'db-core' })

export type { Logger }
