import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestDatabase } from '@alx/db-core/testing'
import { formatRequestLine } from '../../src/middleware/request-log'
import { bearer, buildTaskApp, hasMariaDb, insertUser, openDb, type Dialect } from './support'

function suite(dialect: Dialect): void {
  let db: TestDatabase
  let dir: string
  beforeAll(async () => {
    db = await openDb(dialect)
    dir = await mkdtemp(path.join(tmpdir(), 'request-log-'))
  })
  afterAll(async () => {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('appends one line per request to the log file: time, user email or Anonymous, path without the query', async () => {
    const file = path.join(dir, 'requests.log')
    const at = new Date('2024-01-31T18:30:00.000Z')
    const alice = await insertUser(db.knex, { name: 'alice' })
    const app = await buildTaskApp(db, { requestLogFile: file, now: () => at })
    try {
      await app.inject({ method: 'GET', url: '/health' })
      await app.inject({ method: 'GET', url: '/api/users/me/?verbose=1', headers: bearer(app, alice.user_id) })
    } finally {
      await app.close()
    }
    const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '')
    expect(lines).toEqual([
      '2024-01-31T18:30:00.000Z - User: Anonymous - Path: /health',
      `2024-01-31T18:30:00.000Z - User: ${alice.email} - Path: /api/users/me/`,
    ])
  })
}

describe('Task 9: Request logging middleware', () => {
  describe('formatRequestLine', () => {
    it('formats the course line with an ISO timestamp', () => {
      expect(formatRequestLine(new Date(0), 'ada@example.com', '/api/conversations/')).toBe('1970-01-01T00:00:00.000Z - User: ada@example.com - Path: /api/conversations/')
    })

    it('names an unknown user Anonymous', () => {
      expect(formatRequestLine(new Date(0), undefined, '/health')).toBe('1970-01-01T00:00:00.000Z - User: Anonymous - Path: /health')
    })
  })

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
