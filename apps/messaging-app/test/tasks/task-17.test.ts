import type { TestDatabase } from '@alx/db-core/testing'
import { unreadForUser } from '../../src/messages/unread'
import { bearer, buildTaskApp, hasMariaDb, insertConversation, insertMessage, insertUser, openDb, setLastRead, type Dialect, type UserFixture } from './support'

function suite(dialect: Dialect): void {
  let db: TestDatabase
  let alice: UserFixture
  let expected: string[]
  beforeAll(async () => {
    db = await openDb(dialect)
    alice = await insertUser(db.knex, { name: 'alice' })
    const bob = await insertUser(db.knex, { name: 'bob' })
    const carol = await insertUser(db.knex, { name: 'carol' })
    const withBob = await insertConversation(db.knex, [alice.user_id, bob.user_id])
    const withCarol = await insertConversation(db.knex, [alice.user_id, carol.user_id])
    const withoutAlice = await insertConversation(db.knex, [bob.user_id, carol.user_id])
    const t = Date.UTC(2024, 0, 1)
    const read = await insertMessage(db.knex, { conversationId: withBob, senderId: bob.user_id, body: 'already read', sentAt: t })
    await insertMessage(db.knex, { conversationId: withBob, senderId: alice.user_id, body: 'her own', sentAt: t + 1000 })
    const unread1 = await insertMessage(db.knex, { conversationId: withBob, senderId: bob.user_id, body: 'new from bob', sentAt: t + 3000 })
    const unread0 = await insertMessage(db.knex, { conversationId: withCarol, senderId: carol.user_id, body: 'new from carol', sentAt: t + 2000 })
    await insertMessage(db.knex, { conversationId: withoutAlice, senderId: bob.user_id, body: 'not for alice', sentAt: t + 4000 })
    await setLastRead(db.knex, withBob, alice.user_id, read.seq)
    expected = [unread0.message_id, unread1.message_id]
  })
  afterAll(async () => {
    await db.close()
  })

  it("returns others' messages after the user's last read, in their conversations only, oldest first", async () => {
    const page = await unreadForUser(db.knex, alice.user_id, { offset: 0, limit: 20 })
    expect({ count: page.count, unreadIds: page.results.map((m) => m.message_id) }).toEqual({ count: 2, unreadIds: expected })
    expect(page.results[0]).toMatchObject({ message_body: 'new from carol', sender: { first_name: 'carol' } })
  })

  it('pages with offset and limit but counts them all', async () => {
    const second = await unreadForUser(db.knex, alice.user_id, { offset: 1, limit: 1 })
    expect({ count: second.count, unreadIds: second.results.map((m) => m.message_id) }).toEqual({ count: 2, unreadIds: [expected[1]] })
  })

  it('is served at GET /api/messages/unread/', async () => {
    const app = await buildTaskApp(db)
    try {
      const res = await app.inject({ method: 'GET', url: '/api/messages/unread/', headers: bearer(app, alice.user_id) })
      expect({ status: res.statusCode }).toEqual({ status: 200 })
      const body = res.json<{ count: number; results: Array<{ message_id: string }> }>()
      expect({ count: body.count, unreadIds: body.results.map((m) => m.message_id) }).toEqual({ count: 2, unreadIds: expected })
    } finally {
      await app.close()
    }
  })
}

describe('Task 17: Unread messages per user', () => {
  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
