import type { TestDatabase } from '@alx/db-core/testing'
import type { FastifyInstance } from 'fastify'
import { PageCache } from '../../src/messages/page-cache'
import { bearer, buildTaskApp, hasMariaDb, insertConversation, insertMessage, insertUser, openDb, type Dialect } from './support'

describe('Task 18: Caching conversation pages', () => {
  describe('PageCache', () => {
    it('returns what was set, undefined for a key never set', () => {
      const cache = new PageCache<string[]>(2)
      cache.set('a', ['x'])
      expect([cache.get('a'), cache.get('nope')]).toEqual([['x'], undefined])
    })

    it('replaces the value of a key that is set again, without growing', () => {
      const cache = new PageCache<number>(3)
      cache.set('a', 1)
      cache.set('a', 2)
      expect({ a: cache.get('a'), size: cache.size }).toEqual({ a: 2, size: 1 })
    })

    it('forgets the least recently used entry beyond max (a get counts as a use)', () => {
      const cache = new PageCache<number>(2)
      cache.set('a', 1)
      cache.set('b', 2)
      cache.get('a')
      cache.set('c', 3)
      expect({ a: cache.get('a'), b: cache.get('b'), c: cache.get('c'), size: cache.size }).toEqual({ a: 1, b: undefined, c: 3, size: 2 })
    })

    it('stores nothing with max 0', () => {
      const cache = new PageCache<number>(0)
      cache.set('a', 1)
      expect({ a: cache.get('a'), size: cache.size }).toEqual({ a: undefined, size: 0 })
    })

    it('refuses a max that is not a non-negative integer with a TypeError', () => {
      expect(() => new PageCache(-1)).toThrow(new TypeError('Expected `max` to be a non-negative integer, got -1.'))
      expect(() => new PageCache(1.5)).toThrow(TypeError)
    })
  })

  function suite(dialect: Dialect): void {
    let db: TestDatabase
    let app: FastifyInstance
    beforeAll(async () => {
      db = await openDb(dialect)
      app = await buildTaskApp(db, { cacheSize: 100 })
    })
    afterAll(async () => {
      await app.close()
      await db.close()
    })

    it('serves a repeated page from the cache, and a new message shows at once', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
      const first = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'original' })
      const url = `/api/conversations/${conversationId}/messages/`
      const bodies = async () => (await app.inject({ method: 'GET', url, headers: bearer(app, bob.user_id) })).json<{ results: Array<{ message_body: string }> }>().results.map((m) => m.message_body)
      expect(await bodies()).toEqual(['original'])
      // Written behind the app's back (no version bump): only a cached page still shows the old body.
      await db.knex('messages').where({ message_id: first.message_id }).update({ message_body: 'changed behind the cache' })
      expect({ secondRequest: await bodies() }).toEqual({ secondRequest: ['original'] })
      const sent = await app.inject({ method: 'POST', url, headers: bearer(app, alice.user_id), payload: { message_body: 'new' } })
      expect({ status: sent.statusCode }).toEqual({ status: 201 })
      expect({ afterANewMessage: await bodies() }).toEqual({ afterANewMessage: ['changed behind the cache', 'new'] })
    })
  }

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
