import { randomUUID } from 'node:crypto'
import type { TestDatabase } from '@alx/db-core/testing'
import type { FastifyInstance } from 'fastify'
import { createConversation, validateParticipants } from '../../src/conversations/create'
import { bearer, buildTaskApp, countRows, hasMariaDb, insertUser, openDb, type Dialect } from './support'

/** The field errors a call threw, or what it returned. */
async function outcome<T>(call: () => Promise<T>): Promise<{ returned: T } | { status: unknown; fields: unknown }> {
  try {
    return { returned: await call() }
  } catch (error) {
    const e = error as { statusCode?: unknown; fields?: unknown }
    return { status: e.statusCode, fields: e.fields }
  }
}

function suite(dialect: Dialect): void {
  let db: TestDatabase
  let app: FastifyInstance
  beforeAll(async () => {
    db = await openDb(dialect)
    app = await buildTaskApp(db)
  })
  afterAll(async () => {
    await app.close()
    await db.close()
  })

  describe('validateParticipants', () => {
    it('puts the caller first, then the requested ids lower-cased, without duplicates', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const carol = await insertUser(db.knex, { name: 'carol' })
      expect(await outcome(() => validateParticipants(db.knex, alice.user_id, [bob.user_id.toUpperCase(), carol.user_id, bob.user_id, alice.user_id]))).toEqual({ returned: [alice.user_id, bob.user_id, carol.user_id] })
    })

    it('refuses a conversation of the caller alone', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      expect(await outcome(() => validateParticipants(db.knex, alice.user_id, [alice.user_id]))).toEqual({ status: 400, fields: { participants: ['A conversation needs at least two participants.'] } })
    })

    it('names every participant that does not exist', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const [ghost1, ghost2] = [randomUUID(), randomUUID()]
      expect(await outcome(() => validateParticipants(db.knex, alice.user_id, [ghost1, bob.user_id, ghost2]))).toEqual({ status: 400, fields: { participants: [`Invalid pk "${ghost1}" - object does not exist.`, `Invalid pk "${ghost2}" - object does not exist.`] } })
    })

    it('refuses more than 100 participants', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const many = Array.from({ length: 100 }, () => randomUUID())
      expect(await outcome(() => validateParticipants(db.knex, alice.user_id, many))).toEqual({ status: 400, fields: { participants: ['Ensure this field has no more than 100 elements.'] } })
    })
  })

  describe('createConversation', () => {
    it('inserts the conversation and one participant row per member, and returns them', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const now = Date.now()
      const created = await db.knex.transaction((trx) => createConversation(trx, alice.user_id, [bob.user_id], now))
      expect(created).toEqual({ conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown, participantIds: [alice.user_id, bob.user_id] })
      const row = (await db.knex('conversations').where({ conversation_id: created.conversationId }).first()) as Record<string, unknown> | undefined
      expect({ created_by: row?.created_by, created_at: Number(row?.created_at), message_count: Number(row?.message_count) }).toEqual({ created_by: alice.user_id, created_at: now, message_count: 0 })
      const members = (await db.knex('conversation_participants').select('user_id').where({ conversation_id: created.conversationId })) as Array<{ user_id: string }>
      expect(members.map((m) => m.user_id).sort()).toEqual([alice.user_id, bob.user_id].sort())
    })

    it('inserts nothing when the participants are invalid', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const before = await countRows(db.knex, 'conversations')
      const result = await outcome(() => db.knex.transaction((trx) => createConversation(trx, alice.user_id, [randomUUID()], Date.now())))
      expect(result).toMatchObject({ status: 400 })
      expect({ conversations: await countRows(db.knex, 'conversations') }).toEqual({ conversations: before })
    })
  })

  describe('POST /api/conversations/', () => {
    it('answers 201 with the conversation, the caller among its participants, then lists it', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const res = await app.inject({ method: 'POST', url: '/api/conversations/', headers: bearer(app, alice.user_id), payload: { participants: [bob.user_id] } })
      expect({ status: res.statusCode }).toEqual({ status: 201 })
      const body = res.json<{ conversation_id: string; participants: Array<{ user_id: string }>; message_count: number }>()
      expect({ participants: body.participants.map((p) => p.user_id).sort(), message_count: body.message_count }).toEqual({ participants: [alice.user_id, bob.user_id].sort(), message_count: 0 })
      const list = await app.inject({ method: 'GET', url: '/api/conversations/', headers: bearer(app, bob.user_id) })
      expect(list.json<{ results: Array<{ conversation_id: string }> }>().results.map((c) => c.conversation_id)).toEqual([body.conversation_id])
    })

    it('answers 400 with the participants error', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const res = await app.inject({ method: 'POST', url: '/api/conversations/', headers: bearer(app, alice.user_id), payload: { participants: [alice.user_id] } })
      expect({ status: res.statusCode, body: res.json<unknown>() }).toEqual({ status: 400, body: { participants: ['A conversation needs at least two participants.'] } })
    })
  })
}

describe('Task 3: Conversations and messages endpoints (viewsets)', () => {
  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
