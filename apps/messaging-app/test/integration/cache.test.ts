import { testDialects } from '@alx/db-core/testing'
import { as, createConversation, createUser, sendMessage, setup, type TestContext, type TestUser } from '../helpers'

describe('Task 18: caching conversation pages', () => {
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
    const bodies = async (user: TestUser, id: string) =>
      (await as(ctx.app, user, { method: 'GET', url: `/api/conversations/${id}/messages/` })).json<{ results: Array<{ message_body: string }> }>().results.map((m) => m.message_body)

    it('never serves a stale page after a new, edited or deleted message', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      const first = await sendMessage(ctx.app, alice, id, 'one')
      expect(await bodies(bob, id)).toEqual(['one'])
      expect(await bodies(bob, id)).toEqual(['one'])
      await sendMessage(ctx.app, bob, id, 'two')
      expect(await bodies(bob, id)).toEqual(['one', 'two'])
      await as(ctx.app, alice, { method: 'PATCH', url: `/api/conversations/${id}/messages/${first.message_id}/`, payload: { message_body: 'one!' } })
      expect(await bodies(bob, id)).toEqual(['one!', 'two'])
      await as(ctx.app, alice, { method: 'DELETE', url: `/api/conversations/${id}/messages/${first.message_id}/` })
      expect(await bodies(alice, id)).toEqual(['two'])
    })

    it('checks membership before any cached page is served', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      await sendMessage(ctx.app, alice, id, 'secret')
      expect(await bodies(bob, id)).toEqual(['secret'])
      const eve = await createUser(ctx.app, 'eve')
      expect((await as(ctx.app, eve, { method: 'GET', url: `/api/conversations/${id}/messages/` })).statusCode).toBe(404)
      await as(ctx.app, alice, { method: 'PATCH', url: `/api/conversations/${id}/`, payload: { participants: [eve.user_id] } })
      expect((await as(ctx.app, bob, { method: 'GET', url: `/api/conversations/${id}/messages/` })).statusCode).toBe(404)
    })

    it('never serves a stale conversation list', async () => {
      const carol = await createUser(ctx.app, 'carol')
      const dave = await createUser(ctx.app, 'dave')
      const list = async (user: TestUser) =>
        (await as(ctx.app, user, { method: 'GET', url: '/api/conversations/' })).json<{ count: number; results: Array<{ conversation_id: string; message_count: number; unread_count: number; participants: unknown[] }> }>()
      expect((await list(carol)).count).toBe(0)
      const id = await createConversation(ctx.app, dave, carol)
      expect(await list(carol)).toMatchObject({ count: 1, results: [{ conversation_id: id, message_count: 0, unread_count: 0 }] })
      const m = await sendMessage(ctx.app, dave, id, 'ping')
      expect(await list(carol)).toMatchObject({ results: [{ message_count: 1, unread_count: 1 }] })
      await as(ctx.app, carol, { method: 'POST', url: `/api/conversations/${id}/read/` })
      expect(await list(carol)).toMatchObject({ results: [{ unread_count: 0 }] })
      await as(ctx.app, dave, { method: 'DELETE', url: `/api/conversations/${id}/messages/${m.message_id}/` })
      expect(await list(carol)).toMatchObject({ results: [{ message_count: 0 }] })
      await as(ctx.app, dave, { method: 'PATCH', url: `/api/conversations/${id}/`, payload: { participants: [alice.user_id, carol.user_id] } })
      expect((await list(carol)).results[0]?.participants).toHaveLength(3)
      expect((await list(alice)).results.some((c) => c.conversation_id === id)).toBe(true)
      await as(ctx.app, dave, { method: 'PATCH', url: `/api/conversations/${id}/`, payload: { participants: [alice.user_id] } })
      expect((await list(carol)).count).toBe(0)
      await as(ctx.app, dave, { method: 'DELETE', url: '/api/users/me/' })
      expect((await list(alice)).results.find((c) => c.conversation_id === id)?.participants).toHaveLength(1)
      await as(ctx.app, alice, { method: 'DELETE', url: `/api/conversations/${id}/` })
      expect((await list(alice)).results.some((c) => c.conversation_id === id)).toBe(false)
    })
  })
})
