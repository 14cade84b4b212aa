/**
 * Provided to the graded task tests (and to learners, working): the course's `users` table on a fresh test
 * database per run, the databases to run on, a connection wrapper that works without Task 1, and a way to
 * read what was committed. Nothing here comes from a task's entry point.
 */
import { createUsersTable, openDatabase, withConnection } from '@alx/db-core'
import type { Connection, Database, Dialect, UsersRow } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'

/** The rows every run starts with, in `id` order. */
export const USERS: readonly UsersRow[] = [
  { id: 1, name: 'Ada Lovelace', email: 'ada@example.com', age: 36 },
  { id: 2, name: 'Alan Turing', email: 'alan@example.com', age: 41 },
  { id: 3, name: 'Grace Hopper', email: 'grace@example.com', age: 85 },
]

/** A database the tests ran on, by the name a learner knows it. */
export function databaseName(dialect: Dialect): string {
  return dialect === 'sqlite' ? 'SQLite' : 'MariaDB'
}

/** Creates the course's `users` table (`id`, `name`, `email`, `age`) and inserts `USERS`. */
export async function seedUsers(db: Database): Promise<void> {
  await createUsersTable(db)
  await db.knex('users').insert(USERS.map((user) => ({ ...user })))
}

function label(err: unknown, prefix: string): unknown {
  // a starter stub's error stays as it is: the grader recognises it by its name and first line
  if (!(err instanceof Error) || err.name === 'NotImplementedError') return err
  err.message = `${prefix}${err.message}`
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  err.stack = [`${err.name}: ${err.message}`, ...frames].join('\n')
  return err
}

/**
 * Runs `body` on every database the graded tests use — SQLite always, MariaDB/MySQL when `MYSQL_URL` is set —
 * each a fresh database with `users` seeded from `USERS`, dropped afterwards. A failure says which database.
 * @example
 * it('commits', () => onEachDatabase(async (db) => { … }))
 */
export async function onEachDatabase(body: (db: TestDatabase, name: string) => Promise<void>): Promise<void> {
  for (const dialect of testDialects()) {
    const name = databaseName(dialect)
    const db = await createTestDb(dialect)
    try {
      await seedUsers(db)
      await body(db, name)
    } catch (err) {
      throw label(err, `on ${name}: `)
    } finally {
      await db.close()
    }
  }
}

/**
 * The course's `with_db_connection`, working, for the tasks that stack on it (2–4) without needing Task 1:
 * `withTestConnection(db, fn)(...args)` checks a connection out of `db`'s pool, calls `fn(conn, ...args)` and
 * always gives the connection back.
 * @example
 * const update = withTestConnection(db, transactional(updateUserEmail)); await update(1, 'a@b.c')
 */
export function withTestConnection<TArgs extends unknown[], TResult>(
  db: Database,
  fn: (conn: Connection, ...args: TArgs) => Promise<TResult>,
): (...args: TArgs) => Promise<TResult> {
  return (...args: TArgs) => withConnection(db, (conn) => fn(conn, ...args))
}

/** The `users` rows as another connection sees them: only what has been committed, in `id` order. */
export async function committedUsers(db: TestDatabase): Promise<UsersRow[]> {
  const other = await openDatabase(db.rawUrl, { pool: { max: 1 } })
  try {
    const rows = await other.knex('users').select<UsersRow[]>('id', 'name', 'email', 'age').orderBy('id')
    return rows.map((row) => ({ id: Number(row.id), name: row.name, email: row.email, age: row.age === null ? null : Number(row.age) }))
  } finally {
    await other.close()
  }
}

/**
 * Runs `assertion`; when it fails, the failure starts with `hint` — what the task statement demands — and keeps
 * jest's expected/received below it.
 * @example
 * await because('retries: 3 means at most 3 attempts in all', () => expect(calls).toBe(3))
 */
export function because(hint: string, assertion: () => void): void {
  try {
    assertion()
  } catch (err) {
    throw label(err, `${hint}\n\n`)
  }
}
