import { testDialects } from '@alx/db-core/testing'
import { RedisEventBus, buildApp } from '../../src'
import { FAST_HASH, SECRET, as, createConversation, createUser, sendMessage, setup, type TestContext, type TestUser } from '../helpers'
import { SseClient } from '../sse-client'

async function ticketFor(ctx: { app: TestContext['app'] }, user: TestUser): Promise<string> {
  const res = await as(ctx.app, user, { method: 'POST', url: '/api/events/ticket/' })
  expect(res.statusCode).toBe(201)
  return res.json<{ ticket: string }>().ticket
}

describe('Task 19: real-time events over SSE', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    let base: string
    let alice: TestUser
    let bob: TestUser
    let carol: TestUser
    let dave: TestUser
    const clients: SseClient[] = []
    beforeAll(async () => {
      ctx = await setup(dialect, { sseHeartbeatMs: 50 })
      base = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
      alice = await createUser(ctx.app, 'alice')
      bob = await createUser(ctx.app, 'bob')
      carol = await createUser(ctx.app, 'carol')
      dave = await createUser(ctx.app, 'dave')
    })
    afterEach(() => {
      for (const c of clients.splice(0)) c.close()
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })
    const open = async (user: TestUser, headers: Record<string, string> = {}) => {
      const client = await SseClient.open(`${base}/api/events/?ticket=${encodeURIComponent(await ticketFor(ctx, user))}`, headers)
      clients.push(client)
      return client
    }

    it('delivers message events of the caller’s conversations only', async () => {
      const ab = await createConversation(ctx.app, alice, bob)
      const cd = await createConversation(ctx.app, carol, dave)
      const aliceStream = await open(alice)
      const carolStream = await open(carol)
      expect(aliceStream.status).toBe(200)
      const m = await sendMessage(ctx.app, bob, ab, 'for alice')
      await sendMessage(ctx.app, dave, cd, 'for carol')
      await as(ctx.app, bob, { method: 'PATCH', url: `/api/conversations/${ab}/messages/${m.message_id}/`, payload: { message_body: 'for alice, edited' } })
      await as(ctx.app, bob, { method: 'DELETE', url: `/api/conversations/${ab}/messages/${m.message_id}/` })
      const frames = await aliceStream.waitFor(3)
      expect(frames.map((f) => f.event)).toEqual(['message.created', 'message.updated', 'message.deleted'])
      expect(JSON.parse(frames[0]?.data ?? '{}')).toMatchObject({ message_id: m.message_id, conversation: ab, message_body: 'for alice', sender: bob.user_id })
      expect(JSON.parse(frames[1]?.data ?? '{}')).toMatchObject({ message_body: 'for alice, edited' })
      const carolFrames = await carolStream.waitFor(1)
      expect(JSON.parse(carolFrames[0]?.data ?? '{}')).toMatchObject({ message_body: 'for carol' })
      await new Promise((r) => setTimeout(r, 100))
      expect(aliceStream.frames.some((f) => f.data.includes('for carol'))).toBe(false)
      expect(carolStream.frames.some((f) => f.data.includes('for alice'))).toBe(false)
    })

    it('needs a valid single-use ticket, never the access token in the URL', async () => {
      const ticket = await ticketFor(ctx, alice)
      const first = await SseClient.open(`${base}/api/events/?ticket=${ticket}`)
      clients.push(first)
      expect(first.status).toBe(200)
      const again = await SseClient.open(`${base}/api/events/?ticket=${ticket}`)
      clients.push(again)
      expect(again.status).toBe(401)
      const token = await SseClient.open(`${base}/api/events/?ticket=${alice.access}`)
      clients.push(token)
      expect(token.status).toBe(401)
      const none = await ctx.app.inject({ method: 'GET', url: '/api/events/' })
      expect(none.statusCode).toBe(400)
    })

    it('resumes after Last-Event-ID with what was missed', async () => {
      const ab = await createConversation(ctx.app, alice, bob)
      const stream = await open(alice)
      await sendMessage(ctx.app, bob, ab, 'seen')
      const [seen] = await stream.waitFor(1)
      stream.close()
      await sendMessage(ctx.app, bob, ab, 'missed 1')
      await sendMessage(ctx.app, bob, ab, 'missed 2')
      const resumed = await open(alice, { 'last-event-id': seen?.id ?? '' })
      const frames = await resumed.waitFor(2)
      expect(frames.map((f) => (JSON.parse(f.data) as { message_body: string }).message_body)).toEqual(['missed 1', 'missed 2'])
      await sendMessage(ctx.app, bob, ab, 'live')
      const live = await resumed.waitFor(3)
      expect(JSON.parse(live[2]?.data ?? '{}')).toMatchObject({ message_body: 'live' })
      expect(new Set(live.map((f) => f.id)).size).toBe(3)
    })
  })
})

const redisUrl = process.env.REDIS_URL
const redisCases = redisUrl ? testDialects() : []

describe('Task 19: real-time events over SSE (Redis adapter)', () => {
  // Runs only when REDIS_URL names a local Redis (CI sets it); jest refuses an empty `.each` table.
  if (redisCases.length > 0) describe.each(redisCases)('across two instances over Redis pub/sub on %s', (dialect) => {
    it('delivers an event published by one instance to a client of the other', async () => {
      const ctx = await setup(dialect)
      const channel = `alx:test:${process.pid}:${Date.now()}`
      const busA = await RedisEventBus.connect(redisUrl ?? '', { channel })
      const busB = await RedisEventBus.connect(redisUrl ?? '', { channel })
      const appA = await buildApp({ db: ctx.db, jwtSecret: SECRET, passwordHashing: FAST_HASH, eventBus: busA })
      const appB = await buildApp({ db: ctx.db, jwtSecret: SECRET, passwordHashing: FAST_HASH, eventBus: busB })
      let client: SseClient | undefined
      try {
        const baseA = await appA.listen({ host: '127.0.0.1', port: 0 })
        const alice = await createUser(appA, 'alice')
        const bob = await createUser(appB, 'bob')
        const eve = await createUser(appB, 'eve')
        const id = await createConversation(appB, bob, alice)
        client = await SseClient.open(`${baseA}/api/events/?ticket=${await ticketFor({ app: appA }, alice)}`)
        const eveClient = await SseClient.open(`${baseA}/api/events/?ticket=${await ticketFor({ app: appA }, eve)}`)
        await sendMessage(appB, bob, id, 'via redis')
        const [frame] = await client.waitFor(1)
        expect(frame?.event).toBe('message.created')
        expect(JSON.parse(frame?.data ?? '{}')).toMatchObject({ message_body: 'via redis', conversation: id })
        await new Promise((r) => setTimeout(r, 100))
        expect(eveClient.frames).toHaveLength(0)
        eveClient.close()
      } finally {
        client?.close()
        await appA.close()
        await appB.close()
        await busA.close()
        await busB.close()
        await ctx[Symbol.asyncDispose]()
      }
    })
  })
})
