import type { TestDatabase } from '@alx/db-core/testing'
import { checkHealth } from '../../src/health'
import { buildTaskApp, hasMariaDb, openDb, type Dialect } from './support'

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openDb(dialect)
  })
  afterAll(async () => {
    await db.close()
  })

  it('reports ok with the dialect when the database answers', async () => {
    expect(await checkHealth(db)).toEqual({ status: 'ok', database: dialect })
  })

  it('reports unavailable, without throwing, when the query fails', async () => {
    const broken = { dialect: db.dialect, knex: { raw: () => Promise.reject(new Error('connection lost')) } } as unknown as TestDatabase
    expect(await checkHealth(broken)).toEqual({ status: 'unavailable', database: dialect })
  })

  it('is served at GET /health as 200 {status, database}', async () => {
    const app = await buildTaskApp(db)
    try {
      const res = await app.inject({ method: 'GET', url: '/health' })
      expect({ status: res.statusCode, body: res.json<unknown>() }).toEqual({ status: 200, body: { status: 'ok', database: dialect } })
    } finally {
      await app.close()
    }
  })
}

describe('Task 0: The app: health, OpenAPI schema and docs', () => {
  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
