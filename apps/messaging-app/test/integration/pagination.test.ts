import { testDialects } from '@alx/db-core/testing'
import { as, createConversation, createUser, sendMessage, setup, type TestContext, type TestUser } from '../helpers'

interface Page {
  count?: number
  next: string | null
  previous: string | null
  results: Array<{ message_id: string; message_body: string; sent_at: string; sender: { user_id: string } }>
}

const pathOf = (url: string) => {
  const u = new URL(url)
  return `${u.pathname}${u.search}`
}

describe('Task 7: pagination and filters', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    let alice: TestUser
    let bob: TestUser
    let carol: TestUser
    let conversation: string
    const bodies: string[] = []
    beforeAll(async () => {
      ctx = await setup(dialect)
      alice = await createUser(ctx.app, 'alice')
      bob = await createUser(ctx.app, 'bob')
      carol = await createUser(ctx.app, 'carol')
      conversation = await createConversation(ctx.app, alice, bob)
      for (let i = 1; i <= 21; i += 1) {
        const body = `message ${String(i).padStart(2, '0')}`
        bodies.push(body)
        await sendMessage(ctx.app, i % 3 === 0 ? bob : alice, conversation, body)
      }
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })

    it('pages 21 messages as DRF does: 20 then 1, absolute next/previous', async () => {
      const url = `/api/conversations/${conversation}/messages/`
      const first = (await as(ctx.app, alice, { method: 'GET', url })).json<Page>()
      expect(first.count).toBe(21)
      expect(first.results).toHaveLength(20)
      expect(first.previous).toBeNull()
      expect(first.next).toBe(`http://localhost:80${url}?page=2`)
      expect(first.results.map((m) => m.message_body)).toEqual(bodies.slice(0, 20))
      const second = (await as(ctx.app, alice, { method: 'GET', url: pathOf(first.next ?? '') })).json<Page>()
      expect(second).toMatchObject({ count: 21, next: null, previous: `http://localhost:80${url}` })
      expect(second.results.map((m) => m.message_body)).toEqual([bodies[20]])
    })

    it('honours page_size up to 100 and keeps other query parameters in links', async () => {
      const url = `/api/conversations/${conversation}/messages/?page_size=5&ordering=-sent_at`
      const page = (await as(ctx.app, alice, { method: 'GET', url })).json<Page>()
      expect(page.results.map((m) => m.message_body)).toEqual(bodies.slice(-5).reverse())
      expect(page.next).toContain('page_size=5')
      expect(page.next).toContain('ordering=-sent_at')
      expect(page.next).toContain('page=2')
      const big = (await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/?page_size=1000` })).json<Page>()
      expect(big.results).toHaveLength(21)
    })

    it('answers 404 {"detail":"Invalid page."} for a bad or out-of-range page', async () => {
      for (const page of ['0', '-1', 'abc', '3', '1.5']) {
        const res = await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/?page=${page}` })
        expect({ page, status: res.statusCode, body: res.json<unknown>() }).toEqual({ page, status: 404, body: { detail: 'Invalid page.', code: 'not_found' } })
      }
      const empty = await as(ctx.app, carol, { method: 'GET', url: '/api/conversations/?page=1' })
      expect(empty.json()).toEqual({ count: 0, next: null, previous: null, results: [] })
    })

    it('filters by sender and participant', async () => {
      const bySender = (await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/?sender=${bob.user_id}` })).json<Page>()
      expect(bySender.count).toBe(7)
      expect(bySender.results.every((m) => m.sender.user_id === bob.user_id)).toBe(true)
      const other = await createConversation(ctx.app, alice, carol)
      await sendMessage(ctx.app, carol, other, 'from carol')
      const withCarol = (await as(ctx.app, alice, { method: 'GET', url: `/api/messages/?participant=${carol.user_id}` })).json<Page>()
      expect(withCarol.results.map((m) => m.message_body)).toEqual(['from carol'])
      const flatBob = (await as(ctx.app, alice, { method: 'GET', url: `/api/messages/?sender=${bob.user_id}&page_size=100` })).json<Page>()
      expect(flatBob.count).toBe(7)
    })

    it('filters by start_date/end_date (ISO 8601) and names the field on bad input', async () => {
      const all = (await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/?page_size=100` })).json<Page>()
      const pivot = all.results[10]?.sent_at ?? ''
      const after = (await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/?page_size=100&start_date=${encodeURIComponent(pivot)}` })).json<Page>()
      expect(after.count).toBe(all.results.filter((m) => m.sent_at >= pivot).length)
      const before = (await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/?page_size=100&end_date=${encodeURIComponent(pivot)}` })).json<Page>()
      expect(before.count).toBe(all.results.filter((m) => m.sent_at <= pivot).length)
      const today = new Date().toISOString().slice(0, 10)
      const wholeDay = (await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/?start_date=${today}&end_date=${today}` })).json<Page>()
      expect(wholeDay.count).toBe(21)
      const future = (await as(ctx.app, alice, { method: 'GET', url: '/api/messages/?start_date=2999-01-01' })).json<Page>()
      expect(future.count).toBe(0)

      const cases: Array<[string, Record<string, string[]>]> = [
        ['start_date=yesterday', { start_date: ['Enter a valid date/time.'] }],
        ['end_date=2024-02-30', { end_date: ['Enter a valid date/time.'] }],
        ['start_date=2024-05-01&end_date=2024-04-01', { end_date: ['Must not be before start_date.'] }],
        ['sender=bob', { sender: ['Must be a valid UUID.'] }],
        ['ordering=body', { ordering: ['Select a valid choice.'] }],
      ]
      for (const [query, expected] of cases) {
        const res = await as(ctx.app, alice, { method: 'GET', url: `/api/messages/?${query}` })
        expect({ query, status: res.statusCode, body: res.json<unknown>() }).toEqual({ query, status: 400, body: expected })
      }
    })

    it('pages history with ?before= and ?after= without duplicates or gaps while messages arrive', async () => {
      const id = await createConversation(ctx.app, alice, bob)
      const sent: string[] = []
      for (let i = 0; i < 12; i += 1) sent.push((await sendMessage(ctx.app, alice, id, `h${i}`)).message_id)
      const base = `/api/conversations/${id}/messages/`

      // Walk backwards from the newest known message in pages of 5 while new messages keep arriving.
      const seen: string[] = []
      let url: string | null = `${base}?before=${sent[11]}&limit=5`
      const arrived: string[] = []
      while (url) {
        const page: Page = (await as(ctx.app, alice, { method: 'GET', url })).json<Page>()
        expect(page.count).toBeUndefined()
        seen.unshift(...page.results.map((m) => m.message_id))
        arrived.push((await sendMessage(ctx.app, bob, id, `late ${arrived.length}`)).message_id)
        url = page.previous ? pathOf(page.previous) : null
      }
      expect(seen).toEqual(sent.slice(0, 11))

      // Poll forwards with ?after= while concurrent senders race the reader.
      const collected: string[] = []
      let cursor = `${base}?after=${sent[11]}&limit=3`
      const writers = Promise.all([0, 1, 2, 3, 4, 5].map((i) => sendMessage(ctx.app, i % 2 ? alice : bob, id, `race ${i}`)))
      for (let round = 0; round < 30; round += 1) {
        const page: Page = (await as(ctx.app, alice, { method: 'GET', url: cursor })).json<Page>()
        collected.push(...page.results.map((m) => m.message_id))
        cursor = pathOf(page.next ?? '')
        if (round > 5 && page.results.length === 0) break
      }
      await writers
      for (;;) {
        const page: Page = (await as(ctx.app, alice, { method: 'GET', url: cursor })).json<Page>()
        if (page.results.length === 0) break
        collected.push(...page.results.map((m) => m.message_id))
        cursor = pathOf(page.next ?? '')
      }
      const expected = (await ctx.db.knex('messages').select('message_id').where({ conversation_id: id }).andWhere('seq', '>', 12).orderBy('seq')) as Array<{ message_id: string }>
      expect(new Set(collected).size).toBe(collected.length)
      expect(collected).toEqual(expected.map((r) => r.message_id))
      expect(collected).toHaveLength(arrived.length + 6)
    })

    it('refuses a bad cursor with a 400 naming it', async () => {
      const ghost = '55555555-5555-4555-8555-555555555555'
      const res = await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/?before=${ghost}` })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ before: [`Invalid pk "${ghost}" - object does not exist.`] })
      const limit = await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/?after=${ghost}&limit=0` })
      expect(limit.statusCode).toBe(400)
    })
  })
})
