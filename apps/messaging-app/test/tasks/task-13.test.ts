import type { TestDatabase } from '@alx/db-core/testing'
import { inTransaction } from '../../src/db/unit-of-work'
import { notifyRecipients } from '../../src/events/notify'
import { bearer, buildTaskApp, countRows, hasMariaDb, insertConversation, insertMessage, insertUser, openDb, type Dialect } from './support'

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openDb(dialect)
  })
  afterAll(async () => {
    await db.close()
  })

  it('creates one unread notification per recipient, none for the sender', async () => {
    const [alice, bob, carol] = await Promise.all([insertUser(db.knex, { name: 'alice' }), insertUser(db.knex, { name: 'bob' }), insertUser(db.knex, { name: 'carol' })])
    const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id, carol.user_id])
    const message = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'hello both' })
    await inTransaction(db.knex, (uow) => notifyRecipients({ uow, message, recipients: [alice.user_id, bob.user_id, carol.user_id] }))
    const rows = (await db.knex('notifications').select('user_id', 'message_id', 'conversation_id', 'is_read').where({ message_id: message.message_id })) as Array<{ user_id: string; is_read: unknown }>
    expect({ notifiedUsers: rows.map((r) => r.user_id).sort() }).toEqual({ notifiedUsers: [bob.user_id, carol.user_id].sort() })
    expect(rows.map((r) => ({ ...r, is_read: Boolean(r.is_read) }))).toEqual(
      expect.arrayContaining([{ user_id: bob.user_id, message_id: message.message_id, conversation_id: conversationId, is_read: false }]),
    )
  })

  it('creates nothing when the sender is the only recipient', async () => {
    const alice = await insertUser(db.knex, { name: 'alice' })
    const bob = await insertUser(db.knex, { name: 'bob' })
    const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
    const message = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'note to self' })
    await inTransaction(db.knex, (uow) => notifyRecipients({ uow, message, recipients: [alice.user_id] }))
    expect({ notificationsOfMessage: await countRows(db.knex, 'notifications', { message_id: message.message_id }) }).toEqual({ notificationsOfMessage: 0 })
  })

  it('writes in the message transaction: a rollback leaves no notification', async () => {
    const alice = await insertUser(db.knex, { name: 'alice' })
    const bob = await insertUser(db.knex, { name: 'bob' })
    const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
    const message = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'rolled back' })
    await expect(
      inTransaction(db.knex, async (uow) => {
        await notifyRecipients({ uow, message, recipients: [alice.user_id, bob.user_id] })
        throw new Error('the change fails after the handler')
      }),
    ).rejects.toThrow('the change fails after the handler')
    expect({ notificationsAfterRollback: await countRows(db.knex, 'notifications', { message_id: message.message_id }) }).toEqual({ notificationsAfterRollback: 0 })
  })

  it('runs as the app posts a message: the recipient sees it in GET /api/notifications/?unread=true', async () => {
    const app = await buildTaskApp(db, { signals: { notifyRecipients } })
    try {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
      const sent = await app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/messages/`, headers: bearer(app, alice.user_id), payload: { message_body: 'hi bob' } })
      expect({ status: sent.statusCode, body: sent.json<unknown>() }).toMatchObject({ status: 201 })
      const messageId = sent.json<{ message_id: string }>().message_id
      const list = await app.inject({ method: 'GET', url: '/api/notifications/?unread=true', headers: bearer(app, bob.user_id) })
      expect(list.json()).toMatchObject({ count: 1, results: [{ message: messageId, conversation: conversationId, is_read: false }] })
      const own = await app.inject({ method: 'GET', url: '/api/notifications/', headers: bearer(app, alice.user_id) })
      expect({ senderNotifications: own.json<{ count: number }>().count }).toEqual({ senderNotifications: 0 })
    } finally {
      await app.close()
    }
  })
}

describe('Task 13: A notification per recipient of a new message', () => {
  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
