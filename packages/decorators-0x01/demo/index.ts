/**
 * The course's template scripts (0-log_queries.py … 4-cache_query.py), on the seeded `users` table of the
 * default database (DATABASE_URL, else the embedded SQLite file).
 *   pnpm --filter @alx/decorators-0x01 start 2     # one of 0…4
 *   pnpm --filter @alx/decorators-0x01 demo        # all five
 */
import { createLogger, createUsersTable, openConnection } from '@alx/db-core'
import type { Connection, Database, UsersRow } from '@alx/db-core'
import pino from 'pino'
import { cacheQuery, closeDefaultDatabase, getDefaultDatabase, logQueries, queryCache, retryOnFailure, transactional, withDbConnection } from '../src'

// synchronous, so log lines and console output appear in the order they happen
const logger = createLogger({ name: 'decorators-0x01', timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 1, sync: true }))

const SEED: ReadonlyArray<Omit<UsersRow, 'id'>> = [
  { name: 'Crawford Cartwright', email: 'crawford.cartwright@example.com', age: 37 },
  { name: 'Ada Lovelace', email: 'ada@example.com', age: 36 },
  { name: 'Grace Hopper', email: 'grace@example.com', age: 85 },
  { name: 'Linus Torvalds', email: 'linus@example.com', age: 55 },
  { name: 'Margaret Hamilton', email: 'margaret@example.com', age: 88 },
]

async function seedUsers(db: Database): Promise<void> {
  await createUsersTable(db)
  const [row] = await db.knex('users').count<Array<{ n: number | string }>>({ n: '*' })
  if (Number(row?.n ?? 0) === 0) {
    await db.knex('users').insert(SEED)
    console.log(`seeded ${SEED.length} users into ${db.url}`)
  }
}

// 0-log_queries.py: @log_queries def fetch_all_users(query) — opens its own connection, as the template does
async function demo0(db: Database): Promise<void> {
  const fetchAllUsers = logQueries(async function fetchAllUsers({ query }: { query: string }): Promise<UsersRow[]> {
    await using conn = await openConnection(db)
    return conn.query<UsersRow>(query)
  }, { logger })
  const users = await fetchAllUsers({ query: 'SELECT * FROM users' })
  console.log(`fetched ${users.length} users`)
}

// 1-with_db_connection.py: @with_db_connection def get_user_by_id(conn, user_id)
async function demo1(): Promise<void> {
  const getUserById = withDbConnection(async (conn: Connection, userId: number) => (await conn.query<UsersRow>('SELECT * FROM users WHERE id = ?', [userId]))[0])
  const user = await getUserById(1)
  console.log(user)
}

// 2-transactional.py: @with_db_connection @transactional def update_user_email(conn, user_id, new_email)
async function demo2(): Promise<void> {
  const updateUserEmail = withDbConnection(
    transactional(async (conn, userId: number, newEmail: string) => {
      await conn.query('UPDATE users SET email = ? WHERE id = ?', [newEmail, userId])
    }),
  )
  await updateUserEmail(1, 'Crawford_Cartwright@hotmail.com')
  const getUserById = withDbConnection(async (conn: Connection, userId: number) => (await conn.query<UsersRow>('SELECT * FROM users WHERE id = ?', [userId]))[0])
  console.log('after update:', await getUserById(1))
}

// 3-retry_on_failure.py: @with_db_connection @retry_on_failure(retries=3, delay=1) def fetch_users_with_retry(conn)
// (the template's order; retry *outside* the connection is better: a lost connection is then replaced)
async function demo3(): Promise<void> {
  const fetchUsersWithRetry = withDbConnection(
    retryOnFailure({
      retries: 3,
      delay: 1000,
      onRetry: ({ attempt, delayMs, error }) => console.log(`attempt ${attempt} failed (${String(error)}), retrying in ${delayMs} ms`),
    })(async (conn: Connection) => conn.query<UsersRow>('SELECT * FROM users')),
  )
  const users = await fetchUsersWithRetry()
  console.log(users)
}

// 4-cache_query.py: @with_db_connection @cache_query def fetch_users_with_cache(conn, query), called twice
async function demo4(): Promise<void> {
  const fetchUsersWithCache = withDbConnection(cacheQuery(async (conn: Connection, query: string) => conn.query<UsersRow>(query)))
  const users = await fetchUsersWithCache('SELECT * FROM users')
  const usersAgain = await fetchUsersWithCache('SELECT * FROM users')
  console.log(`first call: ${users.length} users from the database; second call: ${usersAgain === users ? 'the same result, from the cache' : 'queried again'}`)
  console.log('queryCache.stats():', queryCache.stats())
}

const DEMOS: Record<string, (db: Database) => Promise<void>> = { 0: demo0, 1: demo1, 2: demo2, 3: demo3, 4: demo4 }

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'all'
  const names = which === 'all' ? Object.keys(DEMOS) : [which]
  const unknown = names.find((n) => DEMOS[n] === undefined)
  if (unknown !== undefined) throw new TypeError(`Expected a demo number from 0 to 4 or "all", got ${JSON.stringify(unknown)}.`)
  const db = await getDefaultDatabase()
  try {
    await seedUsers(db)
    for (const name of names) {
      if (names.length > 1) console.log(`\n=== ${name} ===`)
      await (DEMOS[name] as (db: Database) => Promise<void>)(db)
    }
  } finally {
    await closeDefaultDatabase()
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof TypeError ? err.message : err)
  process.exitCode = 1
})
