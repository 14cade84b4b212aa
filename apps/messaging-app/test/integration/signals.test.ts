import { testDialects } from '@alx/db-core/testing'
import { as, createConversation, createUser, sendMessage, setup, type TestContext, type TestUser } from '../helpers'

const count = async (ctx: TestContext, table: string, where: Record<string, unknown>) => {
  const row = (await ctx.db.knex(table).where(where).count({ n: '*' }).first()) as { n: number | string }
  return Number(row.n)
}

describe('Task 13: a notification per recipient of a new message', () => {
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

    it('notifies every participant but the sender, in the same transaction as the message', async () => {
      const id = await createConversation(ctx.app, alice, bob, carol)
      const m = await sendMessage(ctx.app, alice, id, 'hello both')
      expect(await count(ctx, 'notifications', { message_id: m.message_id })).toBe(2)
      expect(await count(ctx, 'notifications', { message_id: m.message_id, user_id: alice.user_id })).toBe(0)
      const list = await as(ctx.app, bob, { method: 'GET', url: '/api/notifications/?unread=true' })
      expect(list.json()).toMatchObject({ count: 1, results: [{ message: m.message_id, conversation: id, is_read: false }] })
    })
  })
})

describe('Task 14: edit history', () => {
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

    it('keeps each old body in history and sets edited_at', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      const m = await sendMessage(ctx.app, alice, id, 'v1')
      const url = `/api/conversations/${id}/messages/${m.message_id}/`
      await as(ctx.app, alice, { method: 'PATCH', url, payload: { message_body: 'v2' } })
      const v3 = await as(ctx.app, alice, { method: 'PATCH', url, payload: { message_body: 'v3' } })
      expect(v3.json()).toMatchObject({ message_body: 'v3', edited_at: expect.any(String) as unknown })
      // The same body again is not an edit.
      await as(ctx.app, alice, { method: 'PATCH', url, payload: { message_body: 'v3' } })
      const history = await as(ctx.app, bob, { method: 'GET', url: `${url}history/` })
      expect(history.statusCode).toBe(200)
      expect(history.json<Array<{ old_body: string; edited_by: string }>>().map((h) => [h.old_body, h.edited_by])).toEqual([
        ['v1', alice.user_id],
        ['v2', alice.user_id],
      ])
    })
  })
})

describe('Task 15: deleting a user removes their data in one transaction', () => {
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

    it('removes their messages, notifications and histories, and keeps replies by others', async () => {
      const doomed = await createUser(ctx.app, 'doomed')
      const id = await createConversation(ctx.app, doomed, alice, bob)
      const theirs = await sendMessage(ctx.app, doomed, id, 'mine')
      await as(ctx.app, doomed, { method: 'PATCH', url: `/api/conversations/${id}/messages/${theirs.message_id}/`, payload: { message_body: 'mine, edited' } })
      const reply = await sendMessage(ctx.app, alice, id, 'a reply', { parent_message: theirs.message_id })
      const unrelated = await sendMessage(ctx.app, bob, id, 'unrelated')
      expect(await count(ctx, 'notifications', { user_id: doomed.user_id })).toBe(2)

      const res = await as(ctx.app, doomed, { method: 'DELETE', url: '/api/users/me/' })
      expect(res.statusCode).toBe(204)
      expect(await count(ctx, 'users', { user_id: doomed.user_id })).toBe(0)
      expect(await count(ctx, 'messages', { sender_id: doomed.user_id })).toBe(0)
      expect(await count(ctx, 'notifications', { user_id: doomed.user_id })).toBe(0)
      expect(await count(ctx, 'notifications', { message_id: theirs.message_id })).toBe(0)
      expect(await count(ctx, 'message_history', { message_id: theirs.message_id })).toBe(0)
      expect(await count(ctx, 'conversation_participants', { user_id: doomed.user_id })).toBe(0)
      const kept = await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${id}/messages/${reply.message_id}/` })
      expect(kept.json()).toMatchObject({ message_body: 'a reply', parent_message: null })
      const convo = await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${id}/` })
      expect(convo.json()).toMatchObject({ message_count: 2 })
      expect(unrelated.message_id).toBeDefined()
    })

    it('rolls everything back when a step fails', async () => {
      const victim = await createUser(ctx.app, 'victim')
      const id = await createConversation(ctx.app, victim, alice)
      await sendMessage(ctx.app, victim, id, 'stays')
      // Rename a table the cascade needs, so the transaction fails halfway.
      await ctx.db.knex.schema.renameTable('event_tickets', 'event_tickets_gone')
      try {
        const res = await as(ctx.app, victim, { method: 'DELETE', url: '/api/users/me/' })
        expect(res.statusCode).toBe(500)
        expect(res.json()).toEqual({ detail: 'A server error occurred.', code: 'server_error' })
      } finally {
        await ctx.db.knex.schema.renameTable('event_tickets_gone', 'event_tickets')
      }
      expect(await count(ctx, 'users', { user_id: victim.user_id })).toBe(1)
      expect(await count(ctx, 'messages', { sender_id: victim.user_id })).toBe(1)
      expect(await count(ctx, 'notifications', { conversation_id: id })).toBe(1)
    })
  })
})

describe('Task 16: threaded replies as a tree', () => {
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

    it('returns a message with its replies nested recursively', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      const root = await sendMessage(ctx.app, alice, id, 'root')
      const r1 = await sendMessage(ctx.app, bob, id, 'r1', { parent_message: root.message_id })
      await sendMessage(ctx.app, alice, id, 'r1.1', { parent_message: r1.message_id })
      await sendMessage(ctx.app, bob, id, 'r2', { parent_message: root.message_id })
      await sendMessage(ctx.app, bob, id, 'not in thread')
      const res = await as(ctx.app, bob, { method: 'GET', url: `/api/conversations/${id}/messages/${root.message_id}/thread/` })
      expect(res.statusCode).toBe(200)
      interface Node {
        message_body: string
        replies: Node[]
      }
      const shape = (n: Node): unknown => [n.message_body, n.replies.map(shape)]
      expect(shape(res.json<Node>())).toEqual(['root', [['r1', [['r1.1', []]]], ['r2', []]]])
    })
  })
})

describe('Task 17: unread messages per user', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    let alice: TestUser
    beforeAll(async () => {
      ctx = await setup(dialect)
      alice = await createUser(ctx.app, 'alice')
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })

    it('counts and lists unread messages, and clears them on read', async () => {
      const reader = await createUser(ctx.app, 'reader')
      const id = await createConversation(ctx.app, alice, reader)
      const m1 = await sendMessage(ctx.app, alice, id, 'one')
      await sendMessage(ctx.app, alice, id, 'two')
      await sendMessage(ctx.app, alice, id, 'three')
      const list = await as(ctx.app, reader, { method: 'GET', url: '/api/messages/unread/' })
      expect(list.json()).toMatchObject({ count: 3, results: [{ message_body: 'one' }, { message_body: 'two' }, { message_body: 'three' }] })
      expect(Object.keys(list.json<{ results: object[] }>().results[0] ?? {}).sort()).toEqual(['conversation', 'message_body', 'message_id', 'sender', 'sent_at'])
      expect((await as(ctx.app, reader, { method: 'GET', url: `/api/conversations/${id}/` })).json()).toMatchObject({ unread_count: 3 })
      // The sender has read their own messages.
      expect((await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${id}/` })).json()).toMatchObject({ unread_count: 0 })

      const partial = await as(ctx.app, reader, { method: 'POST', url: `/api/conversations/${id}/read/`, payload: { up_to: m1.message_id } })
      expect(partial.json()).toEqual({ conversation_id: id, unread_count: 2 })
      expect((await as(ctx.app, reader, { method: 'GET', url: '/api/notifications/?unread=true' })).json()).toMatchObject({ count: 2 })
      const all = await as(ctx.app, reader, { method: 'POST', url: `/api/conversations/${id}/read/` })
      expect(all.json()).toEqual({ conversation_id: id, unread_count: 0 })
      expect((await as(ctx.app, reader, { method: 'GET', url: '/api/messages/unread/' })).json()).toMatchObject({ count: 0 })
      // Replying marks the conversation read for the replier.
      await sendMessage(ctx.app, alice, id, 'four')
      await sendMessage(ctx.app, reader, id, 'reply')
      expect((await as(ctx.app, reader, { method: 'GET', url: `/api/conversations/${id}/` })).json()).toMatchObject({ unread_count: 0 })
      // Deleting an unread message takes it off the count.
      const five = await sendMessage(ctx.app, alice, id, 'five')
      expect((await as(ctx.app, reader, { method: 'GET', url: `/api/conversations/${id}/` })).json()).toMatchObject({ unread_count: 1 })
      await as(ctx.app, alice, { method: 'DELETE', url: `/api/conversations/${id}/messages/${five.message_id}/` })
      expect((await as(ctx.app, reader, { method: 'GET', url: `/api/conversations/${id}/` })).json()).toMatchObject({ unread_count: 0 })
    })
  })
})

