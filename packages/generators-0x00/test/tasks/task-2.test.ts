// Graded: Task 2 of tasks.md — streamUsersInBatches(batchSize) and batchProcessing(batchSize), which keeps age > 25.
import { batchProcessing, streamUsersInBatches } from '../../src/batch-processing'
import { ALL_USERS, byKey, collect, COURSE_USERS, errorOf, expectStreamedBeforeFirst, manyUsers, onEachDialect, rowsReadAtFirstNext, touchedBeforeNext } from './support'

const OLDER_THAN_25 = byKey(ALL_USERS).filter((user) => user.age > 25)

describe('Task 2: streamUsersInBatches and batchProcessing', () => {
  it('streamUsersInBatches(4) yields arrays of at most 4 users (only the last shorter) that join into every user in user_id order', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      const batches = await collect(streamUsersInBatches(4, { db }))
      expect(batches.map((batch) => batch.length)).toEqual([4, 4, 3])
      expect(batches.flat()).toEqual(byKey(ALL_USERS))
    })
  })

  it('streamUsersInBatches yields no empty batch when the table size is a multiple of the batch size', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      expect((await collect(streamUsersInBatches(7, { db }))).map((batch) => batch.length)).toEqual([7])
      expect((await collect(streamUsersInBatches(1, { db }))).map((batch) => batch.length)).toEqual([1, 1, 1, 1, 1, 1, 1])
    })
  })

  it('streamUsersInBatches with a batch size larger than the table yields one batch of every user', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      expect(await collect(streamUsersInBatches(50, { db }))).toEqual([COURSE_USERS])
    })
  })

  it('streamUsersInBatches yields no batch at all for an empty table', async () => {
    await onEachDialect([], async (db) => {
      expect(await collect(streamUsersInBatches(3, { db }))).toEqual([])
    })
  })

  it('streamUsersInBatches touches the database only at the first next(): no connection taken, no SQL sent before', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const { value: batches, acquired, statements } = await touchedBeforeNext(db, () => streamUsersInBatches(2, { db }))
      expect({ acquired, statements }).toEqual({ acquired: 0, statements: [] })
      expect((await batches.next()).value).toEqual(COURSE_USERS.slice(0, 2))
      await batches.return(undefined)
    })
  })

  it('streamUsersInBatches(100) streams from a cursor: of 6000 users, at most half have been read from the driver when the first batch is yielded', async () => {
    const many = manyUsers()
    await onEachDialect(many, async (db) => {
      const { first, rowsRead } = await rowsReadAtFirstNext(db, () => streamUsersInBatches(100, { db }))
      expect(first.value).toEqual(byKey(many).slice(0, 100))
      expectStreamedBeforeFirst('streamUsersInBatches(100)', 'batch', rowsRead)
    })
  })

  it('streamUsersInBatches gives its connection back when the loop breaks after the first batch', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      for await (const batch of streamUsersInBatches(3, { db })) {
        expect(batch).toEqual(COURSE_USERS.slice(0, 3))
        break
      }
      expect(db.poolStats().used).toBe(0)
      expect(db.closed).toBe(false)
    })
  })

  it('streamUsersInBatches rejects a batch size that is not a positive integer (0, -1, 2.5) with a TypeError', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      for (const bad of [0, -1, 2.5]) {
        expect(await errorOf(() => streamUsersInBatches(bad, { db }))).toBeInstanceOf(TypeError)
      }
    })
  })

  it('batchProcessing yields only the users strictly older than 25 (age > 25), in user_id order', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      expect(await collect(batchProcessing(4, { db }))).toEqual(OLDER_THAN_25)
    })
  })

  it('batchProcessing drops users aged exactly 25 or less: the course keeps age > 25, not age >= 25', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      const kept = await collect(batchProcessing(50, { db }))
      const notOlderThan25 = kept.filter((user) => user.age <= 25).map((user) => `${user.name} (age ${user.age})`)
      expect(notOlderThan25).toEqual([])
    })
  })

  it('batchProcessing keeps a user aged 25.5 and 26: only ages above 25 count', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      const names = (await collect(batchProcessing(50, { db }))).map((user) => user.name)
      expect(names).toEqual(expect.arrayContaining(['Just Over', "Shaquille O'Neal"]))
    })
  })

  it('batchProcessing yields the same users whatever the batch size (1, 3, 50)', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      for (const size of [1, 3, 50]) {
        expect(await collect(batchProcessing(size, { db }))).toEqual(OLDER_THAN_25)
      }
    })
  })

  it('2-main: batchProcessing(50) | head -n 5 gives the course rows 1, 2, 3, 5 and 6 (Ronnie Bechtelar, 22, is skipped)', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const printed = []
      for await (const user of batchProcessing(50, { db })) {
        printed.push(user)
        if (printed.length === 5) break
      }
      expect(printed).toEqual([COURSE_USERS[0], COURSE_USERS[1], COURSE_USERS[2], COURSE_USERS[4], COURSE_USERS[5]])
      expect(db.poolStats().used).toBe(0)
    })
  })

  it('batchProcessing(100) streams through the batches: of 6000 users, at most half have been read from the driver when the first is yielded', async () => {
    const many = manyUsers()
    await onEachDialect(many, async (db) => {
      const { first, rowsRead } = await rowsReadAtFirstNext(db, () => batchProcessing(100, { db }))
      expect(first.value).toEqual(byKey(many).find((user) => user.age > 25))
      expectStreamedBeforeFirst('batchProcessing(100)', 'user', rowsRead)
    })
  })

  it('batchProcessing touches the database only at the first next()', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const { value: users, acquired, statements } = await touchedBeforeNext(db, () => batchProcessing(50, { db }))
      expect({ acquired, statements }).toEqual({ acquired: 0, statements: [] })
      expect((await users.next()).value).toEqual(COURSE_USERS[0])
      await users.return(undefined)
    })
  })
})
