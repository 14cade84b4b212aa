import type { TestDatabase } from '@alx/db-core/testing'
import type { FastifyInstance } from 'fastify'
import { reverse } from '../../src/http/urls'
import { bearer, buildTaskApp, hasMariaDb, insertConversation, insertUser, openDb, type Dialect } from './support'

const C = '3f0c2a3e-8d7b-4c1a-9e2f-0a1b2c3d4e5f'
const M = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'

describe('Task 4: Nested and flat URL routes', () => {
  describe('reverse', () => {
    it('gives the path of every named route, with its trailing slash', () => {
      expect({
        'conversation-list': reverse('conversation-list'),
        'conversation-detail': reverse('conversation-detail', { conversationId: C }),
        'conversation-messages-list': reverse('conversation-messages-list', { conversationId: C }),
        'conversation-messages-detail': reverse('conversation-messages-detail', { conversationId: C, messageId: M }),
        'message-list': reverse('message-list'),
      }).toEqual({
        'conversation-list': '/api/conversations/',
        'conversation-detail': `/api/conversations/${C}/`,
        'conversation-messages-list': `/api/conversations/${C}/messages/`,
        'conversation-messages-detail': `/api/conversations/${C}/messages/${M}/`,
        'message-list': '/api/messages/',
      })
    })

    it('percent-encodes the parameters', () => {
      expect(reverse('conversation-detail', { conversationId: 'a/b c' })).toBe('/api/conversations/a%2Fb%20c/')
    })

    it('throws a TypeError naming the missing parameter', () => {
      expect(() => reverse('conversation-detail')).toThrow(new TypeError("Reverse for 'conversation-detail' needs `conversationId`."))
      expect(() => reverse('conversation-messages-detail', { conversationId: C })).toThrow(new TypeError("Reverse for 'conversation-messages-detail' needs `messageId`."))
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

    it('POST /api/messages/ answers 201 with Location: the message under its conversation, which serves it', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
      const res = await app.inject({ method: 'POST', url: '/api/messages/', headers: bearer(app, alice.user_id), payload: { conversation: conversationId, message_body: 'via the flat route' } })
      expect({ status: res.statusCode }).toEqual({ status: 201 })
      const message = res.json<{ message_id: string }>()
      expect({ location: res.headers.location }).toEqual({ location: `/api/conversations/${conversationId}/messages/${message.message_id}/` })
      const nested = await app.inject({ method: 'GET', url: String(res.headers.location), headers: bearer(app, bob.user_id) })
      expect({ status: nested.statusCode, body: nested.json<{ message_body?: string }>().message_body }).toEqual({ status: 200, body: 'via the flat route' })
    })
  }

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
