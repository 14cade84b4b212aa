import { createLogger, openConnection } from '@alx/db-core'
import type { Connection, UsersRow } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import { logQueries, transactional, withDbConnection } from '../../src'
import { expectDriverError, usersTable } from './helpers'

function capture() {
  const lines: Array<Record<string, unknown>> = []
  const logger = createLogger({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) })
  return { logger, lines }
}

describe('Task 0: logQueries', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    it('reproduces the course template: logs the SQL and a duration, returns the rows', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const { logger, lines } = capture()
      const fetchAllUsers = logQueries(
        async function fetchAllUsers({ query }: { query: string }): Promise<UsersRow[]> {
          await using conn = await openConnection(db)
          return conn.query<UsersRow>(query)
        },
        { logger },
      )
      const users = await fetchAllUsers({ query: 'SELECT * FROM users' })
      expect(users.map((u) => u.id)).toEqual([1, 2, 3])
      expect(lines).toHaveLength(2)
      expect(lines[0]).toMatchObject({ msg: 'query', fn: 'fetchAllUsers', sql: 'SELECT * FROM users' })
      expect(lines[1]).toMatchObject({ msg: 'query done', sql: 'SELECT * FROM users', ok: true })
      expect(lines[1]?.durationMs).toEqual(expect.any(Number))
      expect(db.poolStats().used).toBe(0)
    })

    it('never writes parameter values, even when the database quotes them in its error', async () => {
      await using db = await createTestDb(dialect)
      await db.knex.schema.createTable('accounts', (t) => {
        t.increments('id')
        t.string('email', 191).notNullable().unique()
      })
      const { logger, lines } = capture()
      const secret = 'very.private.person@example.com'
      const addAccount = withDbConnection(
        logQueries(
          transactional(async (conn: Connection, sql: string, email: string) => conn.query(sql, [email])),
          { logger, name: 'addAccount' },
        ),
        { db },
      )
      const sql = 'INSERT INTO accounts (email) VALUES (?)'
      await addAccount(sql, secret)
      const duplicate = await addAccount(sql, secret).catch((err: unknown) => err)
      expectDriverError(duplicate, { sqlite: /UNIQUE constraint failed/, mysql: 'ER_DUP_ENTRY' }, dialect)
      expect(lines.map((l) => [l.msg, l.sql])).toEqual([
        ['query', sql],
        ['query done', sql],
        ['query', sql],
        ['query failed', sql],
      ])
      expect(lines[3]).toMatchObject({ ok: false, durationMs: expect.any(Number) as unknown })
      // MySQL quotes the value in its message; the log line has it redacted
      if (dialect === 'mysql') expect((duplicate as Error).message).toContain(secret)
      expect(JSON.stringify(lines)).not.toContain(secret)
    })
  })
})
