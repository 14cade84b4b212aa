import type { Knex } from 'knex'
import { INITIAL_MIGRATION, type Migration } from './schema'

/** Where knex records which migrations ran. */
export const MIGRATIONS_TABLE = 'messaging_migrations'

/** Every migration of the app, in order. */
const MIGRATIONS: readonly Migration[] = [INITIAL_MIGRATION]

/** Hands our migrations to knex's migrator instead of reading a folder of files. */
const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: (migration) => migration.name,
  getMigration: (migration) => Promise.resolve({ up: (knex: Knex) => migration.up(knex), down: (knex: Knex) => migration.down(knex) }),
}

const config: Knex.MigratorConfig = { migrationSource, tableName: MIGRATIONS_TABLE }

/** `manage.py migrate`: runs the pending migrations and returns their names. */
export async function migrate(knex: Knex): Promise<string[]> {
  const [, ran] = (await knex.migrate.latest(config)) as [number, string[]]
  return ran
}

/** Undoes every applied migration. */
export async function rollback(knex: Knex): Promise<void> {
  await knex.migrate.rollback(config, true)
}
