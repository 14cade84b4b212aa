import type { Knex } from 'knex'
import { INITIAL_MIGRATION, type Migration } from './schema'

const MIGRATIONS: readonly Migration[] = [INITIAL_MIGRATION]

const source: Knex.MigrationSource<Migration> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: (migration) => migration.name,
  getMigration: (migration) => Promise.resolve(migration),
}

/**
 * The knex migrations table this app owns, so it can share a database with other packages.
 *
 * @example
 * await knex(MIGRATIONS_TABLE).select('name') // [{ name: '0001_initial' }]
 */
export const MIGRATIONS_TABLE = 'messaging_migrations'

/**
 * Applies every pending migration (idempotent) and returns the names it ran.
 *
 * @example
 * await migrate(db.knex) // ['0001_initial'] the first time, [] after
 */
export async function migrate(knex: Knex): Promise<string[]> {
  const [, names] = (await knex.migrate.latest({ migrationSource: source, tableName: MIGRATIONS_TABLE })) as [number, string[]]
  return names
}

/**
 * Rolls every migration back (drops the app's tables).
 *
 * @example
 * await rollback(db.knex)
 */
export async function rollback(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ migrationSource: source, tableName: MIGRATIONS_TABLE }, true)
}
