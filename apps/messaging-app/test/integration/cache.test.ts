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
  })
})
