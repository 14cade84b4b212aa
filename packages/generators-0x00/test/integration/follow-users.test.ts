import { setTimeout as delay } from 'node:timers/promises'
import { openDatabase } from '@alx/db-core'
import type { UserDataRow } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { followUsers } from '../../src'
import { newUser, seedUsers, waitFor } from '../fixtures'

/** Consumes a follower in the background, collecting what it yields. */
function follow(db: TestDatabase, signal: AbortSignal, pollMs = 20): { seen: UserDataRow[]; done: Promise<void> } {
  const seen: UserDataRow[] = []
  const done = (async () => {
    for await (const user of followUsers({ db, pollMs, signal })) seen.push(user)
  })()
  return { seen, done }
}

describe('Task 5: followUsers yields rows inserted while it runs', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let db: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await seedUsers(db)
    })
    afterAll(() => db.close())

    it('yields rows another connection inserts concurrently, each once, none of the existing ones, and ends on abort', async () => {
      await using writer = await openDatabase(db.rawUrl)
      const stop = new AbortController()
      const { seen, done } = follow(db, stop.signal)
      try {
        await delay(300) // the follower has recorded where the table stood
        await writer.knex('user_data').insert(newUser(1))
        await waitFor(() => seen.length >= 1)
        // Two writers at once, and a batch.
        await Promise.all([writer.knex('user_data').insert(newUser(2)), db.knex('user_data').insert(newUser(3))])
        await writer.knex('user_data').insert([newUser(4), newUser(5), newUser(6)])
        await waitFor(() => seen.length >= 6)
        await delay(150) // several more polls: nothing is repeated
      } finally {
        stop.abort()
        await done
      }
      const ids = seen.map((u) => u.user_id)
      expect(new Set(ids).size).toBe(ids.length)
      expect([...ids].sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => newUser(n).user_id).sort())
      expect(seen.find((u) => u.user_id === newUser(1).user_id)).toEqual(newUser(1))
      expect(db.poolStats().used).toBe(0)
      await db.knex('user_data').where('user_id', 'like', 'e%').delete()
    })

    it('ends quietly wherever the abort lands: before, during or after a poll (its scan included)', async () => {
      // aborts spread over the first polls: on MySQL some land inside the id scan, whose cursor then rejects
      for (const afterMs of [0, 1, 2, 3, 5, 8, 13, 21, 34]) {
        const stop = new AbortController()
        const { seen, done } = follow(db, stop.signal, 1)
        setTimeout(() => stop.abort(), afterMs)
        await expect(done).resolves.toBeUndefined()
        expect(seen).toEqual([])
      }
      expect(db.poolStats().used).toBe(0)
    })

    it('ends promptly when aborted while waiting between polls', async () => {
      const stop = new AbortController()
      const { seen, done } = follow(db, stop.signal, 60_000)
      await delay(200)
      const t0 = Date.now()
      stop.abort()
      await done
      expect(Date.now() - t0).toBeLessThan(1000)
      expect(seen).toEqual([])
      expect(db.poolStats().used).toBe(0)
    })

    it('yields nothing and opens nothing when the signal is already aborted', async () => {
      const acquire = jest.spyOn(db.knex.client as { acquireConnection(): Promise<unknown> }, 'acquireConnection')
      try {
        const stop = new AbortController()
        stop.abort()
        expect(await followUsers({ db, signal: stop.signal }).next()).toEqual({ done: true, value: undefined })
        expect(acquire).not.toHaveBeenCalled()
      } finally {
        acquire.mockRestore()
      }
    })

    it('releases everything when the consumer breaks', async () => {
      const stop = new AbortController()
      await using writer = await openDatabase(db.rawUrl)
      const follower = followUsers({ db, pollMs: 20, signal: stop.signal })
      try {
        const first = follower.next()
        await delay(300)
        await writer.knex('user_data').insert(newUser(9))
        expect((await first).value).toEqual(newUser(9))
        await follower.return()
        expect(db.poolStats().used).toBe(0)
      } finally {
        stop.abort()
        await follower.return()
      }
      await db.knex('user_data').where('user_id', newUser(9).user_id).delete()
    })

    it.each([0, -5, 2.5])('throws a TypeError naming pollMs %p at the call', (bad) => {
      expect(() => followUsers({ db, pollMs: bad })).toThrow(new TypeError(`Expected \`pollMs\` to be a positive integer, got ${bad}.`))
    })
  })
})
