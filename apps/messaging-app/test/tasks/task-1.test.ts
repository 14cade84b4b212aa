import { createTestDb, type TestDatabase } from '@alx/db-core/testing'
import { migrate, rollback } from '../../src/db/migrations'
import { hasMariaDb, type Dialect } from './support'

const TABLES = ['users', 'conversations', 'conversation_participants', 'messages', 'message_history', 'notifications', 'refresh_tokens', 'events', 'event_tickets']

async function tablesPresent(db: TestDatabase): Promise<Record<string, boolean>> {
  const present: Record<string, boolean> = {}
  for (const table of TABLES) present[table] = await db.knex.schema.hasTable(table)
  return present
}

function all(value: boolean): Record<string, boolean> {
  return Object.fromEntries(TABLES.map((table) => [table, value]))
}

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeEach(async () => {
    db = await createTestDb(dialect, dialect === 'sqlite' ? { pool: { max: 1 } } : {})
  })
  afterEach(async () => {
    await db.close()
  })

  it('migrate creates every table of the provided model and returns the names it ran', async () => {
    expect({ ran: await migrate(db.knex) }).toEqual({ ran: ['0001_initial'] })
    expect(await tablesPresent(db)).toEqual(all(true))
    for (const column of ['message_id', 'conversation_id', 'sender_id', 'parent_message_id', 'message_body', 'sent_at', 'edited_at']) {
      expect({ column, exists: await db.knex.schema.hasColumn('messages', column) }).toEqual({ column, exists: true })
    }
  })

  it('records what ran in the messaging_migrations table', async () => {
    await migrate(db.knex)
    expect({ hasTable: await db.knex.schema.hasTable('messaging_migrations') }).toEqual({ hasTable: true })
    const names = await db.knex<{ name: string }>('messaging_migrations').select('name')
    expect(names.map((row) => row.name)).toEqual(['0001_initial'])
  })

  it('is idempotent: a second migrate runs nothing and keeps the data', async () => {
    await migrate(db.knex)
    await db.knex('users').insert({ user_id: 'u1', email: 'ada@example.com', password_hash: 'x', first_name: 'Ada', last_name: 'L', role: 'guest', created_at: 1 })
    expect({ secondRun: await migrate(db.knex) }).toEqual({ secondRun: [] })
    expect((await db.knex<{ email: string }>('users').select('email')).map((row) => row.email)).toEqual(['ada@example.com'])
  })

  it('rollback drops the tables and forgets the migration, so migrate runs it again', async () => {
    await migrate(db.knex)
    await rollback(db.knex)
    expect(await tablesPresent(db)).toEqual(all(false))
    expect({ ranAgain: await migrate(db.knex) }).toEqual({ ranAgain: ['0001_initial'] })
    expect(await tablesPresent(db)).toEqual(all(true))
  })
}

describe('Task 1: Data model and migrations', () => {
  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
