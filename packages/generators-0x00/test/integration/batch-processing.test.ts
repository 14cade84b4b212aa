import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { batchProcessing, streamUsersInBatches } from '../../src'
import { collect, seedUsers, USERS_BY_KEY } from '../fixtures'

describe('Task 2: streamUsersInBatches and batchProcessing', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let db: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await seedUsers(db)
    })
    afterAll(() => db.close())

    it.each([1, 4, 5, 11, 50])('yields key-ordered batches of at most %i rows, none empty, only the last shorter', async (size) => {
      const batches = await collect(streamUsersInBatches(size, { db }))
      expect(batches.flat()).toEqual(USERS_BY_KEY)
      expect(batches.length).toBe(Math.ceil(USERS_BY_KEY.length / size))
      batches.slice(0, -1).forEach((batch) => expect(batch).toHaveLength(size))
      expect(batches.at(-1)?.length).toBeGreaterThan(0)
    })

    it('opens nothing before the first next() and releases its connection on break', async () => {
      const batches = streamUsersInBatches(3, { db })
      expect(db.poolStats().used).toBe(0)
      for await (const batch of batches) {
        expect(batch).toEqual(USERS_BY_KEY.slice(0, 3))
        expect(db.poolStats().used).toBe(1)
        break
      }
      expect(db.poolStats().used).toBe(0)
    })

    it('batchProcessing yields exactly the users with age > 25: not 25, not 24.99, yes 25.5', async () => {
      const older = await collect(batchProcessing(4, { db }))
      expect(older).toEqual(USERS_BY_KEY.filter((u) => u.age > 25))
      const ages = older.map((u) => u.age)
      expect(ages).not.toContain(25)
      expect(ages).not.toContain(24.99)
      expect(ages).toContain(25.5)
      expect(ages).toContain(26)
    })

    it('batchProcessing gives the same users whatever the batch size', async () => {
      const expected = await collect(batchProcessing(1, { db }))
      for (const size of [2, 3, 7, 100]) expect(await collect(batchProcessing(size, { db }))).toEqual(expected)
    })

    it('batchProcessing releases the connection when the consumer stops early (| head -n 5)', async () => {
      let printed = 0
      for await (const _user of batchProcessing(50, { db })) if (++printed === 5) break
      expect(printed).toBe(5)
      expect(db.poolStats().used).toBe(0)
    })

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws a TypeError naming batchSize %p at the call', (bad) => {
      expect(() => streamUsersInBatches(bad, { db })).toThrow(new TypeError(`Expected \`batchSize\` to be a positive integer, got ${String(bad)}.`))
      expect(() => batchProcessing(bad, { db })).toThrow(TypeError)
      expect(db.poolStats().used).toBe(0)
    })
  })
})
