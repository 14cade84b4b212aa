import { createUserDataTable } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { calculateAverageAge, streamUserAges } from '../../src'
import { collect, KNOWN_USERS, seedUsers } from '../fixtures'

describe('Task 4: streamUserAges and calculateAverageAge', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let db: TestDatabase
    let empty: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await seedUsers(db)
      empty = await createTestDb(dialect)
      await createUserDataTable(empty)
    })
    afterAll(async () => {
      await db.close()
      await empty.close()
    })

    it('yields every age, one number at a time', async () => {
      const ages = await collect(streamUserAges({ db }))
      expect([...ages].sort((a, b) => a - b)).toEqual(KNOWN_USERS.map((u) => u.age).sort((a, b) => a - b))
      for (const age of ages) expect(typeof age).toBe('number')
    })

    it('is lazy: nothing opened before the first next(), the connection released on break', async () => {
      const ages = streamUserAges({ db })
      expect(db.poolStats().used).toBe(0)
      for await (const age of ages) {
        expect(typeof age).toBe('number')
        break
      }
      expect(db.poolStats().used).toBe(0)
    })

    it('calculateAverageAge is the mean of the streamed ages', async () => {
      const expected = KNOWN_USERS.reduce((sum, u) => sum + u.age, 0) / KNOWN_USERS.length
      expect(await calculateAverageAge({ db })).toBeCloseTo(expected, 10)
      expect(db.poolStats().used).toBe(0)
    })

    it('calculateAverageAge of an empty table is 0', async () => {
      expect(await calculateAverageAge({ db: empty })).toBe(0)
      expect(await collect(streamUserAges({ db: empty }))).toEqual([])
    })

    it('rejects when the table does not exist, and releases the connection', async () => {
      await using bare = await createTestDb(dialect)
      // better-sqlite3's native errors come from another realm than jest's Error, so match on the message.
      const failure: unknown = await calculateAverageAge({ db: bare }).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect((failure as { message?: string } | undefined)?.message).toMatch(/user_data/)
      expect(bare.poolStats().used).toBe(0)
    })
  })
})
