import type { AppDatabase } from './config'

/** What `GET /health` answers. */
export interface HealthReport {
  readonly status: 'ok' | 'unavailable'
  /** The database dialect, `'sqlite'` or `'mysql'`. */
  readonly database: AppDatabase['dialect']
}

/**
 * The health check behind `GET /health`: runs `SELECT 1` on the database and reports `status: 'ok'`, or
 * `status: 'unavailable'` when the query fails (never throws), with the database's dialect.
 *
 * @example
 * await checkHealth(db) // { status: 'ok', database: 'sqlite' }
 */
export async function checkHealth(db: AppDatabase): Promise<HealthReport> {
  try {
    await db.knex.raw('SELECT 1')
    return { status: 'ok', database: db.dialect }
  } catch {
    return { status: 'unavailable', database: db.dialect }
  }
}
