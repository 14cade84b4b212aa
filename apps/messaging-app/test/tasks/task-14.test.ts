import type { TestDatabase } from '@alx/db-core/testing'
import { inTransaction } from '../../src/db/unit-of-work'
import { recordEditHistory } from '../../src/events/edit-history'
import { bearer, buildTaskApp, countRows, hasMariaDb, insertConversation, insertMessage, insertUser, openDb, type Dialect } from './support'

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openDb(dialect)
  })
  afterAll(async () => {
    await db.close()
  })

  it('keeps the old body, the editor and the time of the edit in message_history', async () => {
    const alice = await insertUser(db.knex, { name: 'alice' })
    const bob = await insertUser(db.knex, { name: 'bob' })
    const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
    const before = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'first draft' })
    const at = Date.UTC(2024, 0, 31, 12)
    await inTransaction(db.knex, (uow) => recordEditHistory({ uow, before, newBody: 'second draft', editorId: alice.user_id, at }))
    const rows = (await db.knex('message_history').select('message_id', 'old_body', 'edited_by', 'edited_at').where({ message_id: before.message_id })) as Array<{ edited_at: number | string }>
    expect(rows.map((r) => ({ ...r, edited_at: Number(r.edited_at) }))).toEqual([{ message_id: before.message_id, old_body: 'first draft', edited_by: alice.user_id, edited_at: at }])
  })

  it('writes in the edit transaction: a rollback leaves no history', async () => {
    const alice = await insertUser(db.knex, { name: 'alice' })
    const bob = await insertUser(db.knex, { name: 'bob' })
    const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
    const before = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'kept' })
    await expect(
      inTransaction(db.knex, async (uow) => {
        await recordEditHistory({ uow, before, newBody: 'never saved', editorId: alice.user_id, at: Date.now() })
        throw new Error('the edit fails after the handler')
      }),
    ).rejects.toThrow('the edit fails after the handler')
    expect({ historyAfterRollback: await countRows(db.knex, 'message_history', { message_id: before.message_id }) }).toEqual({ historyAfterRollback: 0 })
  })

  it('runs as the app edits a message: GET …/history/ lists the old bodies oldest first and edited_at is set', async () => {
    const app = await buildTaskApp(db, { signals: { recordEditHistory } })
    try {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
      const message = await insertMessage(db.knex, { conversationId, senderId: alice.user_id, body: 'v1' })
      const url = `/api/conversations/${conversationId}/messages/${message.message_id}/`
      for (const body of ['v2', 'v3']) {
        const res = await app.inject({ method: 'PATCH', url, headers: bearer(app, alice.user_id), payload: { message_body: body } })
        expect({ patch: body, status: res.statusCode }).toEqual({ patch: body, status: 200 })
      }
      const current = await app.inject({ method: 'GET', url, headers: bearer(app, bob.user_id) })
      expect(current.json()).toMatchObject({ message_body: 'v3', edited_at: expect.any(String) as unknown })
      const history = await app.inject({ method: 'GET', url: `${url}history/`, headers: bearer(app, bob.user_id) })
      expect({ oldBodies: history.json<Array<{ old_body: string }>>().map((h) => h.old_body) }).toEqual({ oldBodies: ['v1', 'v2'] })
    } finally {
      await app.close()
    }
  })
}

describe('Task 14: Edit history', () => {
  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
