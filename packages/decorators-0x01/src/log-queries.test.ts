import { createLogger } from '@alx/db-core'
import { logQueries, LogQueries } from './log-queries'

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = []
  const logger = createLogger({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) })
  return { logger, lines }
}

describe('Task 0: logQueries (unit)', () => {
  it('logs the SQL before the call, then its duration, and returns the result unchanged', async () => {
    const { logger, lines } = capture()
    const result = { rows: [1, 2] }
    const fetchAllUsers = logQueries(
      async function fetchAllUsers({ query }: { query: string }) {
        expect(lines).toHaveLength(1) // the first line was written before fn ran
        await Promise.resolve(query)
        return result
      },
      { logger },
    )
    await expect(fetchAllUsers({ query: 'SELECT * FROM users' })).resolves.toBe(result)
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'query', fn: 'fetchAllUsers', sql: 'SELECT * FROM users' }),
      expect.objectContaining({ level: 30, msg: 'query done', fn: 'fetchAllUsers', sql: 'SELECT * FROM users', ok: true, durationMs: expect.any(Number) as unknown }),
    ])
    expect(typeof lines[0]?.time).toBe('number')
  })

  it('never logs parameter values, only placeholders', async () => {
    const { logger, lines } = capture()
    const find = logQueries(async (sql: string, params: unknown[]) => Promise.resolve([sql, params]), { logger })
    await find("SELECT * FROM users WHERE email = ? AND name = 'Secret Name'", ['secret@example.com'])
    const text = JSON.stringify(lines)
    expect(text).not.toContain('secret@example.com')
    expect(text).not.toContain('Secret Name')
    expect(lines[1]).toMatchObject({ sql: 'SELECT * FROM users WHERE email = ? AND name = ?' })
  })

  it('logs a failure at warn with the error code, values redacted, and rethrows the same error', async () => {
    const { logger, lines } = capture()
    const error = Object.assign(new Error("Duplicate entry 'ada@example.com' for key 'email'"), { code: 'ER_DUP_ENTRY', errno: 1062 })
    const insert = logQueries(async (_sql: string, _params: unknown[]) => Promise.reject(error), { logger, name: 'insertUser' })
    await expect(insert('INSERT INTO users (email) VALUES (?)', ['ada@example.com'])).rejects.toBe(error)
    expect(lines[1]).toMatchObject({ level: 40, msg: 'query failed', fn: 'insertUser', ok: false, error: { code: 'ER_DUP_ENTRY', errno: 1062, message: 'Duplicate entry ? for key ?' } })
    expect(JSON.stringify(lines)).not.toContain('ada@example.com')
  })

  it('costs only the call when its level is off', async () => {
    const { logger, lines } = capture('warn')
    const fn = jest.fn(async (sql: string) => Promise.resolve(sql.length))
    await expect(logQueries(fn, { logger })('SELECT 1')).resolves.toBe(8)
    expect(lines).toHaveLength(0)
  })

  it('keeps `this` and logs at the level asked for', async () => {
    const { logger, lines } = capture('debug')
    const repo = {
      table: 'users',
      count: logQueries(
        async function (this: { table: string }, sql: string) {
          return Promise.resolve(`${this.table}:${sql}`)
        },
        { logger, level: 'debug' },
      ),
    }
    await expect(repo.count('SELECT COUNT(*) FROM users')).resolves.toBe('users:SELECT COUNT(*) FROM users')
    expect(lines.map((l) => l.level)).toEqual([20, 20])
    expect(lines[0]?.fn).toBe('anonymous')
  })

  it('rejects a bad level with a TypeError naming it', () => {
    expect(() => logQueries(async () => Promise.resolve(1), { level: 'loud' as never })).toThrow(
      new TypeError('Expected `level` to be one of trace, debug, info, warn, error, got "loud".'),
    )
  })

  it('has a class-method form named after the method', async () => {
    const { logger, lines } = capture()
    class Users {
      @LogQueries({ logger })
      async all(query: string): Promise<string[]> {
        return Promise.resolve([query])
      }
    }
    await new Users().all('SELECT * FROM users')
    expect(lines[0]).toMatchObject({ fn: 'all', sql: 'SELECT * FROM users' })
  })
})
