import { testDialects } from '@alx/db-core/testing'
import { as, createConversation, createUser, sendMessage, setup, type TestContext, type TestUser } from '../helpers'

describe('Task 3: conversations and messages endpoints (viewsets)', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    let alice: TestUser
    let bob: TestUser
    let carol: TestUser
    beforeAll(async () => {
      ctx = await setup(dialect)
      alice = await createUser(ctx.app, 'alice')
      bob = await createUser(ctx.app, 'bob')
      carol = await createUser(ctx.app, 'carol')
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })

    it('creates a conversation with the caller always among the participants', async () => {
      const res = await as(ctx.app, alice, { method: 'POST', url: '/api/conversations/', payload: { participants: [bob.user_id] } })
      expect(res.statusCode).toBe(201)
      const body = res.json<{ conversation_id: string; participants: Array<{ user_id: string }>; message_count: number; unread_count: number; created_at: string }>()
      expect(body.participants.map((p) => p.user_id).sort()).toEqual([alice.user_id, bob.user_id].sort())
      expect(body.participants[0]).toEqual({ user_id: expect.any(String) as unknown, first_name: expect.any(String) as unknown, last_name: 'Test', email: expect.any(String) as unknown })
      expect(body).toMatchObject({ message_count: 0, unread_count: 0 })
      expect(new Date(body.created_at).toISOString()).toBe(body.created_at)
    })

    it('refuses a conversation with nobody else, unknown users or bad ids with field errors', async () => {
      const alone = await as(ctx.app, alice, { method: 'POST', url: '/api/conversations/', payload: { participants: [alice.user_id] } })
      expect(alone.statusCode).toBe(400)
      expect(alone.json()).toEqual({ participants: ['A conversation needs at least two participants.'] })
      const ghost = '11111111-1111-4111-8111-111111111111'
      const unknown = await as(ctx.app, alice, { method: 'POST', url: '/api/conversations/', payload: { participants: [ghost] } })
      expect(unknown.statusCode).toBe(400)
      expect(unknown.json()).toEqual({ participants: [`Invalid pk "${ghost}" - object does not exist.`] })
      const bad = await as(ctx.app, alice, { method: 'POST', url: '/api/conversations/', payload: { participants: ['nope'] } })
      expect(bad.statusCode).toBe(400)
      expect(bad.json()).toEqual({ 'participants.0': ['Must be a valid UUID.'] })
      const missing = await as(ctx.app, alice, { method: 'POST', url: '/api/conversations/', payload: {} })
      expect(missing.json()).toEqual({ participants: ['This field is required.'] })
    })

    it('sends messages with the server setting sender and sent_at, and lists them', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      const res = await as(ctx.app, bob, { method: 'POST', url: `/api/conversations/${id}/messages/`, payload: { message_body: '  hello alice  ' } })
      expect(res.statusCode).toBe(201)
      const message = res.json<Record<string, unknown>>()
      expect(message).toMatchObject({ conversation: id, message_body: 'hello alice', parent_message: null, edited_at: null })
      expect(message.sender).toEqual({ user_id: bob.user_id, first_name: 'bob', last_name: 'Test', email: bob.email })
      const list = await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${id}/messages/` })
      expect(list.statusCode).toBe(200)
      expect(list.json()).toMatchObject({ count: 1, next: null, previous: null, results: [{ message_id: message.message_id }] })
      const one = await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${id}/messages/${String(message.message_id)}/` })
      expect(one.json()).toEqual(message)
    })

    it('ignores mass-assigned sender, sent_at and message_id on a new message', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      const res = await as(ctx.app, bob, {
        method: 'POST',
        url: `/api/conversations/${id}/messages/`,
        payload: { message_body: 'sneaky', sender: alice.user_id, sent_at: '2000-01-01T00:00:00Z', message_id: '22222222-2222-4222-8222-222222222222', edited_at: '2000-01-01T00:00:00Z' },
      })
      expect(res.statusCode).toBe(201)
      const body = res.json<{ sender: { user_id: string }; sent_at: string; message_id: string; edited_at: null }>()
      expect(body.sender.user_id).toBe(bob.user_id)
      expect(body.sent_at.startsWith('2000')).toBe(false)
      expect(body.message_id).not.toBe('22222222-2222-4222-8222-222222222222')
      expect(body.edited_at).toBeNull()
    })

    it('fetches the caller’s conversations only, with counts', async () => {
      const fresh = await createUser(ctx.app, 'dave')
      const mine = await createConversation(ctx.app, fresh, alice)
      await createConversation(ctx.app, bob, carol)
      await sendMessage(ctx.app, alice, mine, 'hi dave')
      const res = await as(ctx.app, fresh, { method: 'GET', url: '/api/conversations/' })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ count: 1, next: null, previous: null, results: [{ conversation_id: mine, message_count: 1, unread_count: 1 }] })
      const one = await as(ctx.app, fresh, { method: 'GET', url: `/api/conversations/${mine}/` })
      expect(one.json()).toMatchObject({ conversation_id: mine, message_count: 1 })
    })

    it('updates participants with PATCH and keeps the caller in', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      const res = await as(ctx.app, alice, { method: 'PATCH', url: `/api/conversations/${id}/`, payload: { participants: [carol.user_id] } })
      expect(res.statusCode).toBe(200)
      expect(res.json<{ participants: Array<{ user_id: string }> }>().participants.map((p) => p.user_id).sort()).toEqual([alice.user_id, carol.user_id].sort())
      expect((await as(ctx.app, bob, { method: 'GET', url: `/api/conversations/${id}/` })).statusCode).toBe(404)
    })

    it('edits and deletes own messages, and deletes a conversation with everything in it', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      const m = await sendMessage(ctx.app, alice, id, 'first')
      const edited = await as(ctx.app, alice, { method: 'PATCH', url: `/api/conversations/${id}/messages/${m.message_id}/`, payload: { message_body: 'first, edited' } })
      expect(edited.statusCode).toBe(200)
      expect(edited.json()).toMatchObject({ message_body: 'first, edited', edited_at: expect.any(String) as unknown })
      const removed = await as(ctx.app, alice, { method: 'DELETE', url: `/api/conversations/${id}/messages/${m.message_id}/` })
      expect(removed.statusCode).toBe(204)
      expect(removed.body).toBe('')
      expect((await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${id}/messages/${m.message_id}/` })).statusCode).toBe(404)
      await sendMessage(ctx.app, bob, id, 'second')
      expect((await as(ctx.app, bob, { method: 'DELETE', url: `/api/conversations/${id}/` })).statusCode).toBe(204)
      expect((await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${id}/` })).statusCode).toBe(404)
      const left = (await ctx.db.knex('messages').where({ conversation_id: id }).count({ n: '*' }).first()) as { n: number | string }
      expect(Number(left.n)).toBe(0)
    })
  })
})

describe('Task 4: nested and flat URL routes', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    let alice: TestUser
    let bob: TestUser
    beforeAll(async () => {
      ctx = await setup(dialect)
      alice = await createUser(ctx.app, 'alice')
      bob = await createUser(ctx.app, 'bob')
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })

    it('serves the flat /api/messages/ list and POST with the conversation in the body', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      const post = await as(ctx.app, alice, { method: 'POST', url: '/api/messages/', payload: { conversation: id, message_body: 'flat hello' } })
      expect(post.statusCode).toBe(201)
      expect(post.json()).toMatchObject({ conversation: id, message_body: 'flat hello' })
      const list = await as(ctx.app, bob, { method: 'GET', url: '/api/messages/' })
      expect(list.json()).toMatchObject({ count: 1, results: [{ message_body: 'flat hello' }] })
      const ghost = '33333333-3333-4333-8333-333333333333'
      const unknown = await as(ctx.app, alice, { method: 'POST', url: '/api/messages/', payload: { conversation: ghost, message_body: 'x' } })
      expect(unknown.statusCode).toBe(400)
      expect(unknown.json()).toEqual({ conversation: [`Invalid pk "${ghost}" - object does not exist.`] })
    })

    it('answers with or without the trailing slash, and 404 {detail} for unknown routes', async () => {
      expect((await as(ctx.app, alice, { method: 'GET', url: '/api/conversations' })).statusCode).toBe(200)
      const missing = await as(ctx.app, alice, { method: 'GET', url: '/api/nothing-here/' })
      expect(missing.statusCode).toBe(404)
      expect(missing.json()).toEqual({ detail: 'Not found.', code: 'not_found' })
    })

    it('answers 404, not 500, for a malformed UUID in any path', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      for (const url of ['/api/conversations/not-a-uuid/', '/api/conversations/not-a-uuid/messages/', `/api/conversations/${id}/messages/123/`, '/api/conversations/1%27%20OR%201=1/']) {
        const res = await as(ctx.app, alice, { method: 'GET', url })
        expect({ url, status: res.statusCode, body: res.json<unknown>() }).toEqual({ url, status: 404, body: { detail: 'Not found.', code: 'not_found' } })
      }
    })
  })
})
