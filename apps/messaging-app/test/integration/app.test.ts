import { createTestDb, testDialects } from '@alx/db-core/testing'
import { buildApp, migrate, rollback } from '../../src'
import { SECRET, setup, type TestContext } from '../helpers'

describe('Task 0: the app: health, OpenAPI schema and docs', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    beforeAll(async () => {
      ctx = await setup(dialect)
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })

    it('answers GET /health with the database dialect', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/health' })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ status: 'ok', database: dialect })
    })

    it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/api/schema/' })
      expect(res.statusCode).toBe(200)
      const doc = res.json<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>; components: { securitySchemes: object } }>()
      expect(doc.openapi).toBe('3.1.0')
      for (const path of ['/api/conversations/', '/api/conversations/{id}/messages/', '/api/conversations/{id}/messages/{mid}/', '/api/messages/', '/api/token/', '/api/token/refresh/', '/api/events/ticket/']) {
        expect(doc.paths).toHaveProperty([path])
      }
      expect(doc.paths['/api/conversations/{id}/messages/']?.post?.responses).toHaveProperty(['429'])
      expect(doc.paths['/api/conversations/']?.get?.security).toEqual([{ bearerAuth: [] }])
      expect(doc.components.securitySchemes).toHaveProperty(['bearerAuth'])
    })

    it('serves Swagger UI under /api/docs/', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/api/docs/' })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/text\/html/)
      expect(res.body).toContain('swagger')
    })

    it('refuses a weak JWT secret with a TypeError naming it', async () => {
      await expect(buildApp({ db: ctx.db, jwtSecret: 'short' })).rejects.toThrow(new TypeError('Expected `jwtSecret` to be a string of at least 32 characters, got 5 characters.'))
      await expect(buildApp({ db: ctx.db, jwtSecret: SECRET, accessTokenTtl: 0 })).rejects.toThrow('Expected `accessTokenTtl` to be a positive integer, got 0.')
    })
  })
})

describe('Task 1: data model and migrations', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    it('creates the tables and the indexes the queries use, idempotently, and rolls back', async () => {
      await using db = await createTestDb(dialect)
      expect(await migrate(db.knex)).toEqual(['0001_initial'])
      expect(await migrate(db.knex)).toEqual([])
      for (const table of ['users', 'conversations', 'conversation_participants', 'messages', 'message_history', 'notifications', 'refresh_tokens', 'events']) {
        expect({ table, exists: await db.knex.schema.hasTable(table) }).toEqual({ table, exists: true })
      }
      for (const column of ['message_id', 'sender_id', 'conversation_id', 'message_body', 'sent_at', 'edited_at', 'parent_message_id']) {
        expect({ column, exists: await db.knex.schema.hasColumn('messages', column) }).toEqual({ column, exists: true })
      }
      const indexes =
        dialect === 'sqlite'
          ? (await db.knex.raw<Array<{ name: string }>>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'")).map((r) => r.name)
          : (await db.knex.raw<[Array<{ Key_name: string }>]>('SHOW INDEX FROM messages'))[0]!.map((r) => r.Key_name)
      expect(indexes).toEqual(expect.arrayContaining(['messages_conversation_sent_at_idx', 'messages_conversation_seq_unique', 'messages_sender_sent_at_idx']))
      const duplicate = [
        { user_id: 'a', email: 'same@example.com', password_hash: 'x', first_name: 'A', last_name: 'B', role: 'guest', created_at: 1 },
        { user_id: 'b', email: 'same@example.com', password_hash: 'x', first_name: 'A', last_name: 'B', role: 'guest', created_at: 1 },
      ]
      const failure = await db.knex('users').insert(duplicate).then(
        () => 'inserted',
        (error: unknown) => String((error as { message?: unknown }).message ?? error),
      )
      expect(failure).toMatch(/UNIQUE|Duplicate/i)
      await rollback(db.knex)
      expect(await db.knex.schema.hasTable('messages')).toBe(false)
    })
  })
})
