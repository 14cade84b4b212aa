// The course's templates 0-log_queries.py … 4-cache_query.py, printing what they print, each on its own fixture:
// before every demo the `users` table is reset to the five users below, so a demo prints the same whatever ran
// before it (another module's demo, demo 2's update) and however often it runs.
import { createLogger, createUsersTable, openConnection, pyRowRepr as pyRepr } from '@alx/db-core'
import type { Connection, Database, UsersRow } from '@alx/db-core'
import { cacheQuery, logQueries, queryCache, retryOnFailure, transactional, withDbConnection } from '../src'

/** Prints one line. */
export type Print = (line: string) => void

/** The demos' `users` rows, by id. */
export const DEMO_USERS: readonly UsersRow[] = [
  { id: 1, name: 'Crawford Cartwright', email: 'crawford.cartwright@example.com', age: 37 },
  { id: 2, name: 'Ada Lovelace', email: 'ada@example.com', age: 36 },
  { id: 3, name: 'Grace Hopper', email: 'grace@example.com', age: 85 },
  { id: 4, name: 'Linus Torvalds', email: 'linus@example.com', age: 55 },
  { id: 5, name: 'Margaret Hamilton', email: 'margaret@example.com', age: 88 },
]

/** Makes `users` hold exactly `DEMO_USERS` (created if missing). */
export async function resetDemoUsers(db: Database): Promise<void> {
  await createUsersTable(db)
  await db.knex.transaction(async (trx) => {
    await trx('users').del()
    await trx('users').insert(DEMO_USERS.map((u) => ({ ...u })))
  })
}

/** A logger printing logQueries' "query" lines as the template's `print(f"Executing query: {query}")`. */
function queryLogger(print: Print): ReturnType<typeof createLogger> {
  return createLogger({ name: 'decorators-0x01', level: 'info', timestamp: false }, {
    write(line: string): void {
      const entry = JSON.parse(line) as { msg?: string; sql?: string }
      if (entry.msg === 'query' && entry.sql !== undefined) print(`Executing query: ${entry.sql}`)
      else if (entry.msg === 'query failed') print(line.trim())
    },
  })
}

const ROW_COLUMNS = ['id', 'name', 'email', 'age'] as const
const findUser = (conn: Connection, userId: number): Promise<UsersRow | undefined> =>
  conn.query<UsersRow>(`SELECT ${ROW_COLUMNS.join(', ')} FROM users WHERE id = ?`, [userId]).then((rows) => rows[0])

// 0-log_queries.py: @log_queries def fetch_all_users(query); users = fetch_all_users(query="SELECT * FROM users")
async function demo0(db: Database, print: Print): Promise<void> {
  const fetchAllUsers = logQueries(async function fetchAllUsers({ query }: { query: string }): Promise<UsersRow[]> {
    await using conn = await openConnection(db)
    return conn.query<UsersRow>(query)
  }, { logger: queryLogger(print) })
  await fetchAllUsers({ query: 'SELECT * FROM users' })
}

// 1-with_db_connection.py: @with_db_connection def get_user_by_id(conn, user_id); print(get_user_by_id(user_id=1))
async function demo1(db: Database, print: Print): Promise<void> {
  const getUserById = withDbConnection(findUser, { db })
  print(pyRepr(await getUserById(1)))
}

// 2-transactional.py: @with_db_connection @transactional def update_user_email(conn, user_id, new_email)
// (the template prints nothing; the demo prints user 1 afterwards to show the committed update)
async function demo2(db: Database, print: Print): Promise<void> {
  const updateUserEmail = withDbConnection(
    transactional(async (conn, userId: number, newEmail: string) => {
      await conn.query('UPDATE users SET email = ? WHERE id = ?', [newEmail, userId])
    }),
    { db },
  )
  await updateUserEmail(1, 'Crawford_Cartwright@hotmail.com')
  print(pyRepr(await withDbConnection(findUser, { db })(1)))
}

// 3-retry_on_failure.py: @with_db_connection @retry_on_failure(retries=3, delay=1) def fetch_users_with_retry(conn)
// (the template's order; retry *outside* the connection is better: a lost connection is then replaced)
async function demo3(db: Database, print: Print): Promise<void> {
  const fetchUsersWithRetry = withDbConnection(
    retryOnFailure({
      retries: 3,
      delay: 1000,
      onRetry: ({ attempt, delayMs, error }) => print(`attempt ${attempt} failed (${String(error)}), retrying in ${delayMs} ms`),
    })(async (conn: Connection) => conn.query<UsersRow>('SELECT * FROM users')),
    { db },
  )
  print(pyRepr(await fetchUsersWithRetry()))
}

// 4-cache_query.py: @with_db_connection @cache_query def fetch_users_with_cache(conn, query), called twice
// (the template prints nothing; the demo says where each result came from)
async function demo4(db: Database, print: Print): Promise<void> {
  queryCache.clear()
  queryCache.resetStats()
  const fetchUsersWithCache = withDbConnection(cacheQuery(async (conn: Connection, query: string) => conn.query<UsersRow>(query)), { db })
  const users = await fetchUsersWithCache('SELECT * FROM users')
  const usersAgain = await fetchUsersWithCache('SELECT * FROM users')
  const { hits, misses } = queryCache.stats()
  print(`first call: ${users.length} users from the database; second call: ${usersAgain === users ? 'the same result, from the cache' : 'queried again'} (hits ${hits}, misses ${misses})`)
}

/** The demos by number, as `pnpm start <n>` runs them. */
export const DEMOS: readonly ((db: Database, print: Print) => Promise<void>)[] = [demo0, demo1, demo2, demo3, demo4]

/**
 * Runs demo `n` (0–4) on `db`, after resetting `users` to `DEMO_USERS`.
 * @throws {TypeError} when `n` is not one of 0–4.
 */
export async function runDemo(n: number, db: Database, print: Print): Promise<void> {
  const demo = Number.isInteger(n) ? DEMOS[n] : undefined
  if (demo === undefined) throw new TypeError(`Expected a demo number from 0 to 4 or "all", got ${JSON.stringify(n)}.`)
  await resetDemoUsers(db)
  await demo(db, print)
}
