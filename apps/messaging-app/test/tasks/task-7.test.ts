import type { TestDatabase } from '@alx/db-core/testing'
import { ValidationError } from '../../src/errors'
import { parseIsoFilter, parseMessageFilters } from '../../src/messages/filters'
import { bearer, buildTaskApp, hasMariaDb, insertConversation, insertMessage, insertUser, openDb, type Dialect } from './support'

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openDb(dialect)
  })
  afterAll(async () => {
    await db.close()
  })

  it('filters a conversation by sender, start_date and end_date and orders by -sent_at', async () => {
    const app = await buildTaskApp(db)
    try {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const id = await insertConversation(db.knex, [alice.user_id, bob.user_id])
      await insertMessage(db.knex, { conversationId: id, senderId: alice.user_id, body: 'jan 30', sentAt: Date.UTC(2024, 0, 30, 12) })
      await insertMessage(db.knex, { conversationId: id, senderId: bob.user_id, body: 'jan 31 bob', sentAt: Date.UTC(2024, 0, 31, 9) })
      await insertMessage(db.knex, { conversationId: id, senderId: alice.user_id, body: 'jan 31 late', sentAt: Date.UTC(2024, 0, 31, 23, 59) })
      await insertMessage(db.knex, { conversationId: id, senderId: alice.user_id, body: 'feb 1', sentAt: Date.UTC(2024, 1, 1, 8) })
      const bodies = async (query: string) => {
        const res = await app.inject({ method: 'GET', url: `/api/conversations/${id}/messages/?${query}`, headers: bearer(app, alice.user_id) })
        return { query, status: res.statusCode, bodies: res.json<{ results: Array<{ message_body: string }> }>().results.map((m) => m.message_body) }
      }
      expect(await bodies('start_date=2024-01-31&end_date=2024-01-31')).toEqual({ query: 'start_date=2024-01-31&end_date=2024-01-31', status: 200, bodies: ['jan 31 bob', 'jan 31 late'] })
      expect(await bodies(`sender=${bob.user_id}`)).toEqual({ query: `sender=${bob.user_id}`, status: 200, bodies: ['jan 31 bob'] })
      expect(await bodies('ordering=-sent_at&start_date=2024-01-31')).toEqual({ query: 'ordering=-sent_at&start_date=2024-01-31', status: 200, bodies: ['feb 1', 'jan 31 late', 'jan 31 bob'] })
      const bad = await app.inject({ method: 'GET', url: `/api/conversations/${id}/messages/?start_date=yesterday`, headers: bearer(app, alice.user_id) })
      expect({ status: bad.statusCode, body: bad.json<unknown>() }).toEqual({ status: 400, body: { start_date: ['Enter a valid date/time.'] } })
    } finally {
      await app.close()
    }
  })
}

describe('Task 7: Pagination and filters', () => {
  describe('parseIsoFilter', () => {
    it('reads dates and date-times as UTC epoch ms; a bare end date covers its whole day', () => {
      expect({
        date: parseIsoFilter('start_date', '2024-01-31'),
        dateTime: parseIsoFilter('start_date', '2024-01-31T10:20:30Z'),
        offset: parseIsoFilter('start_date', '2024-01-31T10:20:30+02:00'),
        endOfDay: parseIsoFilter('end_date', '2024-01-31', { endOfDay: true }),
      }).toEqual({ date: Date.UTC(2024, 0, 31), dateTime: Date.UTC(2024, 0, 31, 10, 20, 30), offset: Date.UTC(2024, 0, 31, 8, 20, 30), endOfDay: Date.UTC(2024, 1, 1) - 1 })
    })

    it('throws a ValidationError naming the field for a value that is not a date', () => {
      expect(() => parseIsoFilter('end_date', '2024-02-30')).toThrow(ValidationError)
      try {
        parseIsoFilter('end_date', 'soon')
      } catch (error) {
        expect((error as ValidationError).fields).toEqual({ end_date: ['Enter a valid date/time.'] })
      }
    })
  })

  describe('parseMessageFilters', () => {
    it('passes ids through, parses the dates and reads ordering', () => {
      expect(parseMessageFilters({ sender: 's', participant: 'p', start_date: '2024-01-31', end_date: '2024-01-31', ordering: '-sent_at' })).toMatchObject({
        sender: 's',
        participant: 'p',
        startDate: Date.UTC(2024, 0, 31),
        endDate: Date.UTC(2024, 1, 1) - 1,
        order: 'desc',
      })
      expect(parseMessageFilters({}).order ?? 'asc').toBe('asc')
    })

    it('refuses an end_date before start_date', () => {
      expect(() => parseMessageFilters({ start_date: '2024-02-01', end_date: '2024-01-31' })).toThrow(ValidationError)
    })
  })

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
