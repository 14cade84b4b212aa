import { testDialects } from '@alx/db-core/testing'
import { setup, type TestContext } from '../helpers'

// The course's Postman collection, replayed over a real socket with fetch.
describe('Task 8: API scenario over a real socket (the Postman collection)', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    let base: string
    beforeAll(async () => {
      ctx = await setup(dialect)
      base = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })

    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : null) as Record<string, unknown> }
    }

    it('registers, logs in, creates a conversation, sends and fetches messages, and rejects outsiders', async () => {
      for (const [email, name] of [['ana@example.com', 'Ana'], ['ben@example.com', 'Ben'], ['eve@example.com', 'Eve']]) {
        const reg = await call('POST', '/api/auth/register/', { email, password: 'a long password', first_name: name, last_name: 'E2E' })
        expect(reg.status).toBe(201)
      }
      const login = async (email: string) => (await call('POST', '/api/token/', { email, password: 'a long password' })).json as { access: string; refresh: string; }
      const ana = await login('ana@example.com')
      const ben = await login('ben@example.com')
      const eve = await login('eve@example.com')
      const benId = (await call('GET', '/api/users/me/', undefined, ben.access)).json.user_id as string

      const convo = await call('POST', '/api/conversations/', { participants: [benId] }, ana.access)
      expect(convo.status).toBe(201)
      const id = convo.json.conversation_id as string

      const sent = await call('POST', `/api/conversations/${id}/messages/`, { message_body: 'Hi Ben' }, ana.access)
      expect(sent.status).toBe(201)
      expect((await call('POST', `/api/conversations/${id}/messages/`, { message_body: 'Hi Ana' }, ben.access)).status).toBe(201)

      const list = await call('GET', '/api/conversations/', undefined, ben.access)
      expect(list.json).toMatchObject({ count: 1, results: [{ conversation_id: id, message_count: 2 }] })
      const messages = await call('GET', `/api/conversations/${id}/messages/`, undefined, ben.access)
      expect((messages.json.results as Array<{ message_body: string }>).map((m) => m.message_body)).toEqual(['Hi Ben', 'Hi Ana'])

      const anonymous = await call('GET', `/api/conversations/${id}/messages/`)
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect((await call('GET', `/api/conversations/${id}/messages/`, undefined, eve.access)).status).toBe(404)
      expect((await call('POST', `/api/conversations/${id}/messages/`, { message_body: 'intrude' }, eve.access)).status).toBe(403)

      const refreshed = await call('POST', '/api/token/refresh/', { refresh: ana.refresh })
      expect(refreshed.status).toBe(200)
      expect((await call('GET', '/api/users/me/', undefined, refreshed.json.access as string)).status).toBe(200)
    })
  })
})
