import type { Knex } from 'knex'
import type { AnyDatabase } from './database'

/** A row of the course's `user_data` table (generators-0x00). */
export interface UserDataRow {
  user_id: string
  name: string
  email: string
  age: number
}

/** A row of the course's `users` table (decorators-0x01, context-async-0x02). */
export interface UsersRow {
  id: number
  name: string
  email: string
  age: number | null
}

/**
 * The column types of `user_data`, shared by `createUserDataTable` and the CSV seeder's validation so a row
 * that passes validation fits on every engine: `name`/`email` VARCHAR(255) (characters), `age` DECIMAL(6,2).
 * @example
 * USER_DATA_COLUMNS.age.scale // 2
 */
export const USER_DATA_COLUMNS = {
  name: { maxLength: 255 },
  email: { maxLength: 255 },
  age: { precision: 6, scale: 2 },
} as const

function knexOf(target: AnyDatabase | Knex): Knex {
  return 'poolStats' in target ? target.knex : target
}

/**
 * Creates `user_data` (`user_id` CHAR(36) primary key, `name`, `email`, `age` DECIMAL, all NOT NULL) if missing.
 * @returns true when the table was created, false when it already existed.
 * @example
 * await createUserDataTable(db)
 */
export async function createUserDataTable(target: AnyDatabase | Knex): Promise<boolean> {
  const knex = knexOf(target)
  if (await knex.schema.hasTable('user_data')) return false
  await knex.schema.createTable('user_data', (t) => {
    t.specificType('user_id', 'CHAR(36)').notNullable().primary()
    t.string('name', USER_DATA_COLUMNS.name.maxLength).notNullable()
    t.string('email', USER_DATA_COLUMNS.email.maxLength).notNullable()
    t.decimal('age', USER_DATA_COLUMNS.age.precision, USER_DATA_COLUMNS.age.scale).notNullable()
  })
  return true
}

/**
 * Creates `users` (`id` integer primary key, `name`, `email`, `age`) if missing.
 * @returns true when the table was created.
 * @example
 * await createUsersTable(db)
 */
export async function createUsersTable(target: AnyDatabase | Knex): Promise<boolean> {
  const knex = knexOf(target)
  if (await knex.schema.hasTable('users')) return false
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary()
    t.string('name', 255).notNullable()
    t.string('email', 255).notNullable()
    t.integer('age').nullable()
  })
  return true
}

const migrations: Record<string, Knex.Migration> = {
  '0001_user_data': {
    up: async (knex) => void (await createUserDataTable(knex)),
    down: (knex) => knex.schema.dropTableIfExists('user_data'),
  },
  '0002_users': {
    up: async (knex) => void (await createUsersTable(knex)),
    down: (knex) => knex.schema.dropTableIfExists('users'),
  },
}

/**
 * The course schema as a knex migration source (`user_data` and `users`).
 * @example
 * await db.knex.migrate.latest({ migrationSource: courseMigrations, tableName: 'alx_migrations' })
 */
export const courseMigrations: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(Object.keys(migrations)),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const migration = migrations[name]
    if (!migration) return Promise.reject(new Error(`Unknown migration ${name}`))
    return Promise.resolve(migration)
  },
}

/**
 * Applies the course migrations (idempotent).
 * @example
 * await migrateCourseSchema(db)
 */
export async function migrateCourseSchema(db: AnyDatabase): Promise<void> {
  await db.knex.migrate.latest({ migrationSource: courseMigrations, tableName: 'alx_migrations' })
}
