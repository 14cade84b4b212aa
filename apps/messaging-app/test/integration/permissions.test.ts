import { testDialects } from '@alx/db-core/testing'
import { as, createConversation, createUser, sendMessage, setup, type TestContext, type TestUser } from '../helpers'

describe('Task 6: only participants reach a conversation', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    let alice: TestUser
    let bob: TestUser
    let eve: TestUser
    let conversation: string
    let message: string
    beforeAll(async () => {
      ctx = await setup(dialect)
      alice = await createUser(ctx.app, 'alice')
      bob = await createUser(ctx.app, 'bob')
      eve = await createUser(ctx.app, 'eve')
      conversation = await createConversation(ctx.app, alice, bob)
      message = (await sendMessage(ctx.app, alice, conversation, 'private')).message_id
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })

    it('hides the conversation from a non-participant on every read, nested route (404)', async () => {
      const base = `/api/conversations/${conversation}`
      const routes: Array<[string, string, unknown?]> = [
        ['GET', `${base}/`],
        ['PATCH', `${base}/`, { participants: [eve.user_id] }],
        ['DELETE', `${base}/`],
        ['GET', `${base}/messages/`],
        ['GET', `${base}/messages/?before=${message}`],
        ['GET', `${base}/messages/${message}/`],
        ['PATCH', `${base}/messages/${message}/`, { message_body: 'hijacked' }],
        ['DELETE', `${base}/messages/${message}/`],
        ['GET', `${base}/messages/${message}/thread/`],
        ['GET', `${base}/messages/${message}/history/`],
        ['POST', `${base}/read/`, {}],
      ]
      for (const [method, url, payload] of routes) {
        const res = await as(ctx.app, eve, { method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })
        expect({ method, url, status: res.statusCode, body: res.json<unknown>() }).toEqual({ method, url, status: 404, body: { detail: 'Not found.', code: 'not_found' } })
      }
      // Nothing changed behind the 404s.
      const still = await as(ctx.app, alice, { method: 'GET', url: `${base}/messages/${message}/` })
      expect(still.json()).toMatchObject({ message_body: 'private', edited_at: null })
    })

    it('refuses a non-participant posting into an existing conversation with 403, nested and flat', async () => {
      const nested = await as(ctx.app, eve, { method: 'POST', url: `/api/conversations/${conversation}/messages/`, payload: { message_body: 'let me in' } })
      expect(nested.statusCode).toBe(403)
      expect(nested.json()).toEqual({ detail: 'You are not a participant of this conversation.', code: 'permission_denied' })
      const flat = await as(ctx.app, eve, { method: 'POST', url: '/api/messages/', payload: { conversation, message_body: 'let me in' } })
      expect(flat.statusCode).toBe(403)
      const ghost = await as(ctx.app, eve, { method: 'POST', url: '/api/conversations/44444444-4444-4444-8444-444444444444/messages/', payload: { message_body: 'x' } })
      expect(ghost.statusCode).toBe(404)
    })

    it('keeps other people’s conversations out of the flat list and its filters', async () => {
      const all = await as(ctx.app, eve, { method: 'GET', url: '/api/messages/' })
      expect(all.json()).toMatchObject({ count: 0, results: [] })
      const filtered = await as(ctx.app, eve, { method: 'GET', url: `/api/messages/?conversation=${conversation}` })
      expect(filtered.json()).toMatchObject({ count: 0, results: [] })
      const bySender = await as(ctx.app, eve, { method: 'GET', url: `/api/messages/?sender=${alice.user_id}` })
      expect(bySender.json()).toMatchObject({ count: 0 })
      const list = await as(ctx.app, eve, { method: 'GET', url: '/api/conversations/' })
      expect(list.json()).toMatchObject({ count: 0, results: [] })
    })

    it('lets a participant read but refuses editing or deleting someone else’s message (403)', async () => {
      const read = await as(ctx.app, bob, { method: 'GET', url: `/api/conversations/${conversation}/messages/${message}/` })
      expect(read.statusCode).toBe(200)
      const edit = await as(ctx.app, bob, { method: 'PATCH', url: `/api/conversations/${conversation}/messages/${message}/`, payload: { message_body: 'rewritten' } })
      expect(edit.statusCode).toBe(403)
      expect(edit.json()).toEqual({ detail: 'You can only edit your own messages.', code: 'permission_denied' })
      const del = await as(ctx.app, bob, { method: 'DELETE', url: `/api/conversations/${conversation}/messages/${message}/` })
      expect(del.statusCode).toBe(403)
      const msg = await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/${message}/` })
      expect(msg.json()).toMatchObject({ message_body: 'private' })
    })

    it('does not serve a message of one conversation under another conversation’s URL', async () => {
      const other = await createConversation(ctx.app, bob, eve)
      const res = await as(ctx.app, bob, { method: 'GET', url: `/api/conversations/${other}/messages/${message}/` })
      expect(res.statusCode).toBe(404)
      const reply = await as(ctx.app, bob, { method: 'POST', url: `/api/conversations/${other}/messages/`, payload: { message_body: 'x', parent_message: message } })
      expect(reply.statusCode).toBe(400)
      expect(reply.json()).toEqual({ parent_message: [`Invalid pk "${message}" - object does not exist.`] })
    })

    it('answers 401 for every protected route without credentials', async () => {
      for (const [method, url] of [['GET', '/api/conversations/'], ['POST', '/api/conversations/'], ['GET', `/api/conversations/${conversation}/messages/`], ['GET', '/api/messages/'], ['POST', '/api/messages/'], ['GET', '/api/users/me/'], ['POST', '/api/events/ticket/']] as const) {
        const res = await ctx.app.inject({ method, url })
        expect({ url, status: res.statusCode }).toEqual({ url, status: 401 })
      }
    })
  })
})
