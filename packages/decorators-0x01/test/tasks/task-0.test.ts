import { createLogger, withConnection } from '@alx/db-core'
import type { Logger, UsersRow } from '@alx/db-core'
import { logQueries } from '../../src/log-queries'
import { because, onEachDatabase, USERS } from '../support/users-db'

/** A pino logger at `info` whose lines (JSON text) are kept in `lines`, synchronously. */
function capturingLogger(): { readonly logger: Logger; readonly lines: string[] } {
  const lines: string[] = []
  const logger = createLogger({ level: 'info' }, { write: (line: string) => void lines.push(line) })
  return { logger, lines }
}

const mentions = (lines: readonly string[], sql: string): boolean => lines.some((line) => line.includes(sql))

describe('Task 0: logQueries', () => {
  it('logs the query of a { query } argument before the function runs, then returns its result unchanged', async () => {
    await onEachDatabase(async (db) => {
      const { logger, lines } = capturingLogger()
      let loggedBeforeRun: boolean | undefined
      let returned: UsersRow[] | undefined
      const fetchAllUsers = logQueries(
        async ({ query }: { query: string }) => {
          loggedBeforeRun = mentions(lines, query)
          returned = await withConnection(db, (conn) => conn.query<UsersRow>(query))
          return returned
        },
        { logger },
      )
      const users = await fetchAllUsers({ query: 'SELECT * FROM users' })
      because('logQueries must call the function it wraps', () => expect(loggedBeforeRun).toBeDefined())
      because('logQueries must log a line containing the SQL ("SELECT * FROM users") before it calls the function', () => expect(loggedBeforeRun).toBe(true))
      because('logQueries must return the function’s result itself, unchanged', () => expect(users).toBe(returned))
      expect(users).toHaveLength(USERS.length)
    })
  })

  it('logs the query when it is the first argument, a string, and passes every argument through', async () => {
    await onEachDatabase(async (db) => {
      const { logger, lines } = capturingLogger()
      const seen: unknown[][] = []
      const findUser = logQueries(
        async (query: string, params: readonly unknown[]) => {
          seen.push([query, params])
          return withConnection(db, (conn) => conn.query<UsersRow>(query, params))
        },
        { logger },
      )
      const params = [2]
      const rows = await findUser('SELECT * FROM users WHERE id = ?', params)
      because('logQueries must pass the arguments through unchanged', () => expect(seen).toEqual([['SELECT * FROM users WHERE id = ?', params]]))
      because('logQueries must log the SQL of a string first argument', () => expect(mentions(lines, 'SELECT * FROM users WHERE id = ?')).toBe(true))
      because('logQueries must return the function’s result', () => expect(rows).toMatchObject([{ id: 2, name: 'Alan Turing' }]))
    })
  })

  it('logs every call, in order, each before its function runs', async () => {
    const { logger, lines } = capturingLogger()
    const order: string[] = []
    const run = logQueries(
      async (query: string) => {
        order.push(`run ${query} after ${lines.filter((line) => line.includes(query)).length} line(s) naming it`)
        return Promise.resolve(query.length)
      },
      { logger },
    )
    await run('SELECT name FROM users')
    await run('SELECT email FROM users')
    because('each call must log its own SQL before the function runs', () =>
      expect(order).toEqual(['run SELECT name FROM users after 1 line(s) naming it', 'run SELECT email FROM users after 1 line(s) naming it']),
    )
    const first = lines.findIndex((line) => line.includes('SELECT name FROM users'))
    const second = lines.findIndex((line) => line.includes('SELECT email FROM users'))
    because('the first call’s SQL must be logged before the second call’s', () => expect(first).toBeLessThan(second))
  })

  it('logs the query of a failing call and rejects with the same error', async () => {
    await onEachDatabase(async (db) => {
      const { logger, lines } = capturingLogger()
      const failure = new Error('the function failed')
      const failing = logQueries(
        async ({ query }: { query: string }) => {
          await withConnection(db, (conn) => conn.query(query))
          throw failure
        },
        { logger },
      )
      const caught = await failing({ query: 'SELECT id FROM users' }).catch((err: unknown) => err)
      because('logQueries must reject with the error the function threw, unchanged', () => expect(caught).toBe(failure))
      because('logQueries must log the SQL before calling, also when the call then fails', () => expect(mentions(lines, 'SELECT id FROM users')).toBe(true))
    })
  })
})
