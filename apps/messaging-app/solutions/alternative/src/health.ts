import type { AppDatabase } from './config'

export interface HealthReport {
  readonly status: 'ok' | 'unavailable'
  readonly database: 'sqlite' | 'mysql'
}

/** Runs `SELECT 1`; reports `unavailable` instead of throwing when the database does not answer. */
export async function checkHealth(db: AppDatabase): Promise<HealthReport> {
  try {
    await db.knex.raw('SELECT 1')
    return { status: 'ok', database: db.dialect }
  } catch {
    return { status: 'unavailable', database: db.dialect }
  }
}
