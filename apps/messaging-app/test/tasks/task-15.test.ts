import type { TestDatabase } from '@alx/db-core/testing'
import { deleteUserData } from '../../src/users/delete-user-data'
import { bearer, buildTaskApp, countRows, hasMariaDb, insertConversation, insertMessage, insertUser, openDb, type Dialect } from './support'

async function notify(db: TestDatabase, userId: string, message: { message_id: string; conversation_id: string }): Promise<void> {
  await db.knex('notifications').insert({ notification_id: crypto.randomUUID(), user_id: userId, message_id: message.message_id, conversation_id: message.conversation_id, is_read: false, created_at: Date.now() })
}

async function history(db: TestDatabase, messageId: string, editorId: string): Promise<string> {
  const history_id = crypto.randomUUID()
  await db.knex('message_history').insert({ history_id, message_id: messageId, old_body: 'before', edited_by: editorId, edited_at: Date.now() })
  return history_id
}

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openDb(dialect)
  })
  afterAll(async () => {
    await db.close()
  })

  it("removes the user's messages, their notifications and histories, and leaves other users' data", async () => {
    const alice = await insertUser(db.knex, { name: 'alice' })
    const bob = await insertUser(db.knex, { name: 'bob' })
    const carol = await insertUser(db.knex, { name: 'carol' })
    const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id, carol.user_id])
    const fromAlice = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'from alice' })
    const fromBob = await insertMessage(db.knex, { conversationId, senderId: bob.user_id, body: 'from bob' })
    await notify(db, bob.user_id, fromAlice)
    await notify(db, alice.user_id, fromBob)
    await notify(db, carol.user_id, fromBob)
    await history(db, fromAlice.message_id, alice.user_id)
    const bobsHistory = await history(db, fromBob.message_id, bob.user_id)

    await db.knex.transaction((trx) => deleteUserData(trx, alice.user_id))

    expect({
      messagesOfAlice: await countRows(db.knex, 'messages', { sender_id: alice.user_id }),
      notificationsOfAlice: await countRows(db.knex, 'notifications', { user_id: alice.user_id }),
      notificationsAboutAlicesMessages: await countRows(db.knex, 'notifications', { message_id: fromAlice.message_id }),
      historiesOfAlicesMessages: await countRows(db.knex, 'message_history', { message_id: fromAlice.message_id }),
      messagesOfBob: await countRows(db.knex, 'messages', { sender_id: bob.user_id }),
      notificationOfCarol: await countRows(db.knex, 'notifications', { user_id: carol.user_id }),
      historyOfBobsMessage: await countRows(db.knex, 'message_history', { history_id: bobsHistory }),
    }).toEqual({
      messagesOfAlice: 0,
      notificationsOfAlice: 0,
      notificationsAboutAlicesMessages: 0,
      historiesOfAlicesMessages: 0,
      messagesOfBob: 1,
      notificationOfCarol: 1,
      historyOfBobsMessage: 1,
    })
  })

  it("keeps others' replies as top-level messages and the histories the user wrote with edited_by null", async () => {
    const alice = await insertUser(db.knex, { name: 'alice' })
    const bob = await insertUser(db.knex, { name: 'bob' })
    const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
    const question = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'question' })
    const answer = await insertMessage(db.knex, { conversationId, senderId: bob.user_id, body: 'answer', parentId: question.message_id })
    const editedByAlice = await history(db, answer.message_id, alice.user_id)

    await db.knex.transaction((trx) => deleteUserData(trx, alice.user_id))

    const reply = (await db.knex('messages').select('parent_message_id').where({ message_id: answer.message_id }).first()) as { parent_message_id: string | null } | undefined
    expect({ bobsReply: reply }).toEqual({ bobsReply: { parent_message_id: null } })
    const kept = (await db.knex('message_history').select('edited_by').where({ history_id: editedByAlice }).first()) as { edited_by: string | null } | undefined
    expect({ historyAliceWrote: kept }).toEqual({ historyAliceWrote: { edited_by: null } })
  })

  it('runs as the app deletes a user: DELETE /api/users/me/ is a 204 and their messages are gone', async () => {
    const app = await buildTaskApp(db, { signals: { deleteUserData } })
    try {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
      const fromAlice = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'bye' })
      await notify(db, bob.user_id, fromAlice)
      const res = await app.inject({ method: 'DELETE', url: '/api/users/me/', headers: bearer(app, alice.user_id) })
      expect({ status: res.statusCode, body: res.body }).toEqual({ status: 204, body: '' })
      expect({
        user: await countRows(db.knex, 'users', { user_id: alice.user_id }),
        messages: await countRows(db.knex, 'messages', { sender_id: alice.user_id }),
        notificationsOfBob: await countRows(db.knex, 'notifications', { user_id: bob.user_id }),
      }).toEqual({ user: 0, messages: 0, notificationsOfBob: 0 })
    } finally {
      await app.close()
    }
  })
}

describe('Task 15: Deleting a user removes their data in one transaction', () => {
  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
