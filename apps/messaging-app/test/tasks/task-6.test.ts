import { randomUUID } from 'node:crypto'
import type { TestDatabase } from '@alx/db-core/testing'
import type { FastifyInstance } from 'fastify'
import { outsiderError } from '../../src/conversations/permissions'
import { bearer, buildTaskApp, countRows, hasMariaDb, insertConversation, insertMessage, insertUser, openDb, type Dialect } from './support'

/** What a caller sees: the status and DRF's error body. */
function seen(error: unknown): { status: unknown; body: unknown } {
  const e = error as { statusCode?: unknown; code?: unknown }
  return { status: e.statusCode, body: e.code }
}

describe('Task 6: Only participants reach a conversation', () => {
  describe('outsiderError', () => {
    const conversationId = '00000000-0000-4000-8000-00000000000c'

    it('is a 403 permission_denied when an outsider sends into an existing conversation', () => {
      expect(seen(outsiderError({ action: 'send', conversationId, conversationExists: true }))).toEqual({ status: 403, body: 'permission_denied' })
      expect(seen(outsiderError({ action: 'send', conversationId, conversationExists: true, flat: true }))).toEqual({ status: 403, body: 'permission_denied' })
    })

    it('is a 404 not_found to view, update or delete, whether or not the conversation exists', () => {
      for (const action of ['view', 'update', 'delete'] as const) {
        for (const conversationExists of [true, false]) {
          expect({ action, conversationExists, ...seen(outsiderError({ action, conversationId, conversationExists })) }).toEqual({ action, conversationExists, status: 404, body: 'not_found' })
        }
      }
    })

    it('is a 404 to send into a conversation that does not exist, a 400 on `conversation` for the flat route', () => {
      expect(seen(outsiderError({ action: 'send', conversationId, conversationExists: false }))).toEqual({ status: 404, body: 'not_found' })
      const flat = outsiderError({ action: 'send', conversationId, conversationExists: false, flat: true }) as Error & { statusCode?: number; fields?: unknown }
      expect({ status: flat.statusCode, fields: flat.fields }).toEqual({ status: 400, fields: { conversation: [`Invalid pk "${conversationId}" - object does not exist.`] } })
    })
  })

  function suite(dialect: Dialect): void {
    let db: TestDatabase
    let app: FastifyInstance
    beforeAll(async () => {
      db = await openDb(dialect)
      app = await buildTaskApp(db)
    })
    afterAll(async () => {
      await app.close()
      await db.close()
    })

    async function scene() {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const eve = await insertUser(db.knex, { name: 'eve' })
      const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
      const message = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'hello bob' })
      return { alice, bob, eve, conversationId, message }
    }

    it('answers an outsider 404 on the conversation and its messages, and changes nothing', async () => {
      const { alice, eve, conversationId, message } = await scene()
      const base = `/api/conversations/${conversationId}/`
      const requests = [
        { method: 'GET', url: base },
        { method: 'PATCH', url: base, payload: { participants: [eve.user_id] } },
        { method: 'DELETE', url: base },
        { method: 'GET', url: `${base}messages/` },
        { method: 'GET', url: `${base}messages/${message.message_id}/` },
        { method: 'DELETE', url: `${base}messages/${message.message_id}/` },
      ] as const
      for (const request of requests) {
        const res = await app.inject({ ...request, headers: bearer(app, eve.user_id) })
        expect({ ...request, status: res.statusCode, code: res.json<{ code?: string }>().code }).toEqual({ ...request, status: 404, code: 'not_found' })
      }
      expect({ conversations: await countRows(db.knex, 'conversations', { conversation_id: conversationId }), messages: await countRows(db.knex, 'messages', { conversation_id: conversationId }) }).toEqual({ conversations: 1, messages: 1 })
      const own = await app.inject({ method: 'GET', url: `${base}messages/`, headers: bearer(app, alice.user_id) })
      expect({ participantStatus: own.statusCode }).toEqual({ participantStatus: 200 })
    })

    it('answers an outsider 403 on POST …/messages/ and POST /api/messages/, and stores no message', async () => {
      const { eve, conversationId } = await scene()
      const nested = await app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/messages/`, headers: bearer(app, eve.user_id), payload: { message_body: 'let me in' } })
      expect({ status: nested.statusCode, body: nested.json<unknown>() }).toEqual({ status: 403, body: { detail: 'You are not a participant of this conversation.', code: 'permission_denied' } })
      const flat = await app.inject({ method: 'POST', url: '/api/messages/', headers: bearer(app, eve.user_id), payload: { conversation: conversationId, message_body: 'let me in' } })
      expect({ status: flat.statusCode, code: flat.json<{ code?: string }>().code }).toEqual({ status: 403, code: 'permission_denied' })
      expect({ messages: await countRows(db.knex, 'messages', { conversation_id: conversationId }) }).toEqual({ messages: 1 })
    })

    it('answers 404 to sending into a conversation that does not exist, 400 on `conversation` for the flat route', async () => {
      const { eve } = await scene()
      const missing = randomUUID()
      const nested = await app.inject({ method: 'POST', url: `/api/conversations/${missing}/messages/`, headers: bearer(app, eve.user_id), payload: { message_body: 'hi' } })
      expect({ status: nested.statusCode }).toEqual({ status: 404 })
      const flat = await app.inject({ method: 'POST', url: '/api/messages/', headers: bearer(app, eve.user_id), payload: { conversation: missing, message_body: 'hi' } })
      expect({ status: flat.statusCode, body: flat.json<unknown>() }).toEqual({ status: 400, body: { conversation: [`Invalid pk "${missing}" - object does not exist.`] } })
    })
  }

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
