import { testDialects } from '@alx/db-core/testing'
import { as, createConversation, createUser, setup, type TestContext, type TestUser } from '../helpers'

describe('Task 2: schemas validate input and filter output (serializers)', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    let alice: TestUser
    let bob: TestUser
    let conversation: string
    beforeAll(async () => {
      ctx = await setup(dialect, { bodyLimit: 16 * 1024 })
      alice = await createUser(ctx.app, 'alice')
      bob = await createUser(ctx.app, 'bob')
      conversation = await createConversation(ctx.app, alice, bob)
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      as(ctx.app, alice, { method: 'POST', url: `/api/conversations/${conversation}/messages/`, payload: payload as string, headers })

    it('answers 400 naming the field for a missing, blank or too long body', async () => {
      expect((await post({})).json()).toEqual({ message_body: ['This field is required.'] })
      expect((await post({ message_body: '   ' })).json()).toEqual({ message_body: ['This field may not be blank.'] })
      const long = await post({ message_body: 'x'.repeat(10_001) })
      expect(long.statusCode).toBe(400)
      expect(long.json()).toEqual({ message_body: ['Ensure this field has no more than 10000 characters.'] })
      expect((await post({ message_body: { text: 'hi' } })).json()).toEqual({ message_body: ['Not a valid string.'] })
      expect((await post({ message_body: 'x'.repeat(10_000) })).statusCode).toBe(201)
    })

    it('answers 413 for an oversized request body', async () => {
      const res = await post(JSON.stringify({ message_body: 'y'.repeat(20 * 1024) }), { 'content-type': 'application/json' })
      expect(res.statusCode).toBe(413)
      expect(res.json()).toEqual({ detail: 'Request body is too large.', code: 'payload_too_large' })
    })

    it('answers 415 for a wrong content type and 400 for malformed JSON', async () => {
      const text = await post('message_body=hi', { 'content-type': 'text/plain' })
      expect(text.statusCode).toBe(415)
      expect(text.json()).toEqual({ detail: 'Unsupported media type "text/plain" in request.', code: 'unsupported_media_type' })
      const form = await post('message_body=hi', { 'content-type': 'application/x-www-form-urlencoded' })
      expect(form.statusCode).toBe(415)
      const broken = await post('{"message_body": ', { 'content-type': 'application/json' })
      expect(broken.statusCode).toBe(400)
      expect(broken.json<{ code: string }>().code).toBe('parse_error')
      const list = await post('[1,2]', { 'content-type': 'application/json' })
      expect(list.statusCode).toBe(400)
      expect(list.json()).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] })
    })

    it('never leaks a password hash or a stack trace', async () => {
      const me = await as(ctx.app, alice, { method: 'GET', url: '/api/users/me/' })
      expect(me.body).not.toContain('argon2')
      expect(me.body).not.toContain('password')
      const convo = await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/` })
      expect(convo.body).not.toContain('argon2')
      expect(Object.keys(convo.json<{ participants: object[] }>().participants[0] ?? {}).sort()).toEqual(['email', 'first_name', 'last_name', 'user_id'])
      const broken = await post('{"message_body": ', { 'content-type': 'application/json' })
      expect(broken.body).not.toMatch(/at .*\.(ts|js):\d+/)
    })
  })
})
