import type { TestDatabase } from '@alx/db-core/testing'
import type { Message, ThreadNode } from '../../src/http/schemas'
import { buildReplyTree } from '../../src/messages/reply-tree'
import { bearer, buildTaskApp, hasMariaDb, insertConversation, insertMessage, insertUser, openDb, type Dialect } from './support'

const sender = { user_id: '00000000-0000-4000-8000-000000000001', first_name: 'Ada', last_name: 'L', email: 'ada@example.com' }

function message(id: string, parent: string | null): Message {
  return { message_id: id, conversation: 'c', sender, message_body: `body ${id}`, parent_message: parent, sent_at: '2024-01-01T00:00:00.000Z', edited_at: null }
}

/** The tree as ids only, so a wrong shape shows plainly in the diff. */
function shape(node: ThreadNode | undefined): unknown {
  return node === undefined ? undefined : { id: node.message_id, replies: node.replies.map(shape) }
}

describe('Task 16: Threaded replies as a tree', () => {
  describe('buildReplyTree', () => {
    it('nests replies at any depth under their parent, in input order', () => {
      const messages = [message('root', null), message('a', 'root'), message('b', 'root'), message('a1', 'a'), message('a1x', 'a1')]
      expect(shape(buildReplyTree(messages, 'root'))).toEqual({
        id: 'root',
        replies: [
          { id: 'a', replies: [{ id: 'a1', replies: [{ id: 'a1x', replies: [] }] }] },
          { id: 'b', replies: [] },
        ],
      })
    })

    it('keeps each message as the API shapes it, with a replies array', () => {
      const root = buildReplyTree([message('root', null), message('a', 'root')], 'root')
      expect(root).toEqual({ ...message('root', null), replies: [{ ...message('a', 'root'), replies: [] }] })
    })

    it('accepts the messages in any order and starts from any message', () => {
      const messages = [message('a1', 'a'), message('b', 'root'), message('a', 'root'), message('root', null)]
      expect(shape(buildReplyTree(messages, 'a'))).toEqual({ id: 'a', replies: [{ id: 'a1', replies: [] }] })
    })

    it('leaves out messages that are not below the root', () => {
      const messages = [message('root', null), message('a', 'root'), message('other', null), message('o1', 'other')]
      expect(shape(buildReplyTree(messages, 'root'))).toEqual({ id: 'root', replies: [{ id: 'a', replies: [] }] })
    })

    it('returns undefined when the root is not among the messages', () => {
      expect(buildReplyTree([message('a', 'root')], 'root')).toBeUndefined()
    })
  })

  function suite(dialect: Dialect): void {
    let db: TestDatabase
    beforeAll(async () => {
      db = await openDb(dialect)
    })
    afterAll(async () => {
      await db.close()
    })

    it('serves the tree at GET /api/conversations/{id}/messages/{mid}/thread/', async () => {
      const app = await buildTaskApp(db)
      try {
        const alice = await insertUser(db.knex, { name: 'alice' })
        const bob = await insertUser(db.knex, { name: 'bob' })
        const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
        const root = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'root' })
        const reply = await insertMessage(db.knex, { conversationId, senderId: bob.user_id, body: 'reply', parentId: root.message_id })
        const nested = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'reply to reply', parentId: reply.message_id })
        await insertMessage(db.knex, { conversationId, senderId: bob.user_id, body: 'unrelated' })
        const res = await app.inject({ method: 'GET', url: `/api/conversations/${conversationId}/messages/${root.message_id}/thread/`, headers: bearer(app, bob.user_id) })
        expect({ status: res.statusCode }).toEqual({ status: 200 })
        const body = res.json<ThreadNode>()
        expect(shape(body)).toEqual({ id: root.message_id, replies: [{ id: reply.message_id, replies: [{ id: nested.message_id, replies: [] }] }] })
        expect(body.replies[0]).toMatchObject({ message_body: 'reply', parent_message: root.message_id, sender: { user_id: bob.user_id } })
      } finally {
        await app.close()
      }
    })
  }

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
