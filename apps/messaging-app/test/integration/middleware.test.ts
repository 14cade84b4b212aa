import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { testDialects } from '@alx/db-core/testing'
import { as, createConversation, createUser, setup, type TestContext, type TestUser } from '../helpers'

describe('Task 9: request logging middleware', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    it('appends "<timestamp> - User: <user|Anonymous> - Path: <path>" per request to the configured file', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-log-'))
      const file = path.join(dir, 'requests.log')
      try {
        const ctx = await setup(dialect, { requestLogFile: file, now: () => new Date('2024-06-01T12:00:00.000Z') })
        const user = await createUser(ctx.app, 'logger')
        await as(ctx.app, user, { method: 'GET', url: '/api/conversations/?page=1' })
        await ctx.app.inject({ method: 'GET', url: '/health' })
        await ctx[Symbol.asyncDispose]()
        const lines = readFileSync(file, 'utf8').trim().split('\n')
        expect(lines).toContain(`2024-06-01T12:00:00.000Z - User: ${user.email} - Path: /api/conversations/`)
        expect(lines).toContain('2024-06-01T12:00:00.000Z - User: Anonymous - Path: /health')
        expect(lines).toContain('2024-06-01T12:00:00.000Z - User: Anonymous - Path: /api/auth/register/')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  })
})

describe('Task 11: rate limit of 5 message POSTs per minute per IP', () => {
  const stores = process.env.REDIS_URL ? (['memory', 'redis'] as const) : (['memory'] as const)
  describe.each(testDialects())('on %s', (dialect) => {
    describe.each(stores)('with the %s store', (store) => {
      let ctx: TestContext
      let alice: TestUser
      let bob: TestUser
      let conversation: string
      beforeEach(async () => {
        ctx = await setup(dialect, { rateLimit: { max: 5, windowMs: 60_000, ...(store === 'redis' ? { redisUrl: process.env.REDIS_URL } : {}) } })
        alice = await createUser(ctx.app, 'alice')
        bob = await createUser(ctx.app, 'bob')
        conversation = await createConversation(ctx.app, alice, bob)
      })
      afterEach(async () => {
        await ctx[Symbol.asyncDispose]()
      })
      // Each test uses its own client address so the shared Redis window of another run cannot interfere.
      const ip = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`

      it('answers the 6th POST in a minute with 429, Retry-After and a DRF detail; GETs are not counted', async () => {
        const remoteAddress = ip()
        for (let i = 0; i < 5; i += 1) {
          const url = i % 2 ? '/api/messages/' : `/api/conversations/${conversation}/messages/`
          const payload = i % 2 ? { conversation, message_body: `m${i}` } : { message_body: `m${i}` }
          const res = await as(ctx.app, i % 2 ? bob : alice, { method: 'POST', url, payload, remoteAddress })
          expect(res.statusCode).toBe(201)
          await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/`, remoteAddress })
        }
        const sixth = await as(ctx.app, alice, { method: 'POST', url: `/api/conversations/${conversation}/messages/`, payload: { message_body: 'one too many' }, remoteAddress })
        expect(sixth.statusCode).toBe(429)
        const retryAfter = Number(sixth.headers['retry-after'])
        expect(retryAfter).toBeGreaterThan(0)
        expect(retryAfter).toBeLessThanOrEqual(60)
        expect(sixth.json()).toEqual({ detail: `Request was throttled. Expected available in ${retryAfter} seconds.`, code: 'throttled' })
        // Another client is not affected, nor are reads.
        expect((await as(ctx.app, alice, { method: 'POST', url: `/api/conversations/${conversation}/messages/`, payload: { message_body: 'other ip' }, remoteAddress: ip() })).statusCode).toBe(201)
        expect((await as(ctx.app, alice, { method: 'GET', url: `/api/conversations/${conversation}/messages/`, remoteAddress })).statusCode).toBe(200)
      })

      it('ignores X-Forwarded-For unless trustProxy is configured', async () => {
        const remoteAddress = ip()
        for (let i = 0; i < 5; i += 1) {
          const res = await as(ctx.app, alice, { method: 'POST', url: `/api/conversations/${conversation}/messages/`, payload: { message_body: `m${i}` }, remoteAddress, headers: { 'x-forwarded-for': ip() } })
          expect(res.statusCode).toBe(201)
        }
        const spoofed = await as(ctx.app, alice, { method: 'POST', url: `/api/conversations/${conversation}/messages/`, payload: { message_body: 'spoof' }, remoteAddress, headers: { 'x-forwarded-for': ip() } })
        expect(spoofed.statusCode).toBe(429)
      })
    })

    it('keys on the forwarded client address when the proxy is trusted', async () => {
      const ctx = await setup(dialect, { rateLimit: { max: 2 }, trustProxy: '127.0.0.1' })
      try {
        const alice = await createUser(ctx.app, 'alice')
        const bob = await createUser(ctx.app, 'bob')
        const conversation = await createConversation(ctx.app, alice, bob)
        const send = (client: string) => as(ctx.app, alice, { method: 'POST', url: `/api/conversations/${conversation}/messages/`, payload: { message_body: 'x' }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } })
        expect((await send('203.0.113.1')).statusCode).toBe(201)
        expect((await send('203.0.113.1')).statusCode).toBe(201)
        expect((await send('203.0.113.1')).statusCode).toBe(429)
        expect((await send('203.0.113.2')).statusCode).toBe(201)
      } finally {
        await ctx[Symbol.asyncDispose]()
      }
    })
  })
})

describe('Task 10: optional time-window restriction', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    it('is off by default and answers 403 outside a configured window', async () => {
      let now = new Date('2024-06-01T22:30:00Z')
      const ctx = await setup(dialect, { accessWindow: { start: '18:00', end: '21:00' }, now: () => now })
      try {
        const user = await createUser(ctx.app, 'night')
        const closed = await as(ctx.app, user, { method: 'GET', url: '/api/conversations/' })
        expect(closed.statusCode).toBe(403)
        expect(closed.json()).toEqual({ detail: 'The chat is open from 18:00 to 21:00 (UTC) only.', code: 'outside_access_window' })
        expect((await ctx.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200)
        now = new Date('2024-06-01T18:00:00Z')
        expect((await as(ctx.app, user, { method: 'GET', url: '/api/conversations/' })).statusCode).toBe(200)
      } finally {
        await ctx[Symbol.asyncDispose]()
      }
      const open = await setup(dialect, { now: () => new Date('2024-06-01T03:00:00Z') })
      try {
        const user = await createUser(open.app, 'day')
        expect((await as(open.app, user, { method: 'GET', url: '/api/conversations/' })).statusCode).toBe(200)
      } finally {
        await open[Symbol.asyncDispose]()
      }
    })
  })
})

describe('Task 12: role guard for admin routes', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    it('lets admins list and delete users and refuses everyone else with 403', async () => {
      const ctx = await setup(dialect)
      try {
        const guest = await createUser(ctx.app, 'guest')
        const admin = await createUser(ctx.app, 'admin')
        await ctx.db.knex('users').where({ user_id: admin.user_id }).update({ role: 'admin' })
        const denied = await as(ctx.app, guest, { method: 'GET', url: '/api/users/' })
        expect(denied.statusCode).toBe(403)
        expect(denied.json()).toEqual({ detail: 'You do not have permission to perform this action.', code: 'permission_denied' })
        await ctx.db.knex('users').where({ user_id: guest.user_id }).update({ role: 'host' })
        expect((await as(ctx.app, guest, { method: 'DELETE', url: `/api/users/${admin.user_id}/` })).statusCode).toBe(403)
        expect((await ctx.app.inject({ method: 'GET', url: '/api/users/' })).statusCode).toBe(401)
        const list = await as(ctx.app, admin, { method: 'GET', url: '/api/users/' })
        expect(list.statusCode).toBe(200)
        expect(list.json()).toMatchObject({ count: 2 })
        expect(list.body).not.toContain('argon2')
        expect((await as(ctx.app, admin, { method: 'DELETE', url: `/api/users/${guest.user_id}/` })).statusCode).toBe(204)
        expect((await as(ctx.app, admin, { method: 'DELETE', url: `/api/users/${guest.user_id}/` })).statusCode).toBe(404)
      } finally {
        await ctx[Symbol.asyncDispose]()
      }
    })
  })
})
