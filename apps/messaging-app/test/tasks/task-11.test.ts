import type { TestDatabase } from '@alx/db-core/testing'
import type { IncrCallback, RateLimitStore } from '../../src/middleware/rate-limit-store'
import { memorySlidingWindowStore } from '../../src/middleware/sliding-window-store'
import { bearer, buildTaskApp, hasMariaDb, insertConversation, insertUser, openDb, type Dialect } from './support'

function incr(store: RateLimitStore, key: string): { current: number; ttl: number } {
  let out: { current: number; ttl: number } | undefined
  const callback: IncrCallback = (error, result) => {
    if (error) throw error
    out = result
  }
  store.incr(key, callback, 60_000, 5)
  if (!out) throw new Error('incr did not call back synchronously with a result')
  return out
}

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openDb(dialect)
  })
  afterAll(async () => {
    await db.close()
  })

  it('lets 5 message POSTs per minute through from one IP, refuses the 6th with 429 and Retry-After, and does not count GETs', async () => {
    const app = await buildTaskApp(db, { rateLimit: {} })
    try {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
      const url = `/api/conversations/${conversationId}/messages/`
      const post = (ip: string) => app.inject({ method: 'POST', url, remoteAddress: ip, headers: bearer(app, alice.user_id), payload: { message_body: 'hi' } })
      for (let i = 0; i < 3; i += 1) await app.inject({ method: 'GET', url, remoteAddress: '10.0.0.1', headers: bearer(app, alice.user_id) })
      const statuses: number[] = []
      for (let i = 0; i < 5; i += 1) statuses.push((await post('10.0.0.1')).statusCode)
      expect({ firstFivePosts: statuses }).toEqual({ firstFivePosts: [201, 201, 201, 201, 201] })
      const sixth = await post('10.0.0.1')
      expect({ sixthPost: sixth.statusCode, retryAfter: typeof sixth.headers['retry-after'] }).toEqual({ sixthPost: 429, retryAfter: 'string' })
      expect({ otherIp: (await post('10.0.0.2')).statusCode }).toEqual({ otherIp: 201 })
    } finally {
      await app.close()
    }
  })
}

describe('Task 11: Rate limit of 5 message POSTs per minute per IP', () => {
  describe('memorySlidingWindowStore', () => {
    it('counts requests in a window that slides, not a fixed minute', () => {
      let now = 0
      const Store = memorySlidingWindowStore({ now: () => now })
      const store = new Store()
      const counts: number[] = []
      for (const t of [0, 10_000, 20_000, 30_000, 40_000]) {
        now = t
        counts.push(incr(store, 'ip').current)
      }
      expect({ firstFive: counts }).toEqual({ firstFive: [1, 2, 3, 4, 5] })
      now = 50_000
      expect({ at50s: incr(store, 'ip') }).toEqual({ at50s: { current: 6, ttl: 10_000 } })
      now = 60_001
      expect({ after60sFirst: incr(store, 'ip').current }).toEqual({ after60sFirst: 5 })
      expect({ after60sSecond: incr(store, 'ip').current }).toEqual({ after60sSecond: 6 })
    })

    it('keeps clients apart', () => {
      const Store = memorySlidingWindowStore({ now: () => 1 })
      const store = new Store()
      for (let i = 0; i < 5; i += 1) incr(store, 'a')
      expect({ a: incr(store, 'a').current, b: incr(store, 'b').current }).toEqual({ a: 6, b: 1 })
    })
  })

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
