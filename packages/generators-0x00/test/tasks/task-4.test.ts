// Graded: Task 4 of tasks.md — streamUserAges, and calculateAverageAge from it without SQL AVG.
import { calculateAverageAge, streamUserAges } from '../../src/stream-ages'
import { ALL_USERS, collect, COURSE_USERS, expectStreamedBeforeFirst, manyUsers, MANY_USERS, onEachDialect, rowsReadAtFirstNext, STREAM_READ_LIMIT, touchedBeforeNext, watchDatabase } from './support'

const ascending = (ages: readonly number[]): number[] => [...ages].sort((a, b) => a - b)
const mean = (ages: readonly number[]): number => ages.reduce((sum, age) => sum + age, 0) / ages.length

describe('Task 4: streamUserAges and calculateAverageAge', () => {
  it('streamUserAges yields the age of every user, as numbers, one at a time (in any order)', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      const ages = await collect(streamUserAges({ db }))
      expect(ages.map((age) => typeof age)).toEqual(ALL_USERS.map(() => 'number'))
      expect(ascending(ages)).toEqual(ascending(ALL_USERS.map((user) => user.age)))
    })
  })

  it('streamUserAges touches the database only at the first next(): no connection taken, no SQL sent before', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const { value: ages, acquired, statements } = await touchedBeforeNext(db, () => streamUserAges({ db }))
      expect({ acquired, statements }).toEqual({ acquired: 0, statements: [] })
      expect(COURSE_USERS.map((user) => user.age)).toContain((await ages.next()).value)
      await ages.return(undefined)
    })
  })

  it('streamUserAges streams from a cursor: of 6000 users, at most half have been read from the driver when the first age is yielded', async () => {
    const many = manyUsers()
    await onEachDialect(many, async (db) => {
      const { first, rowsRead } = await rowsReadAtFirstNext(db, () => streamUserAges({ db }))
      expect(typeof first.value).toBe('number')
      expectStreamedBeforeFirst('streamUserAges', 'age', rowsRead)
    })
  })

  it('streamUserAges gives its connection back when the loop breaks early', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      for await (const age of streamUserAges({ db })) {
        expect(typeof age).toBe('number')
        break
      }
      expect(db.poolStats().used).toBe(0)
      expect(db.closed).toBe(false)
    })
  })

  it('calculateAverageAge resolves to the mean age: 82.71 for the course rows 1-7 (579 / 7)', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const average = await calculateAverageAge({ db })
      expect(average).toBeCloseTo(579 / 7, 9)
      expect(`Average age of users: ${average.toFixed(2)}`).toBe('Average age of users: 82.71')
    })
  })

  it('calculateAverageAge counts decimal ages exactly (24.99, 25.5 …)', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      expect(await calculateAverageAge({ db })).toBeCloseTo(mean(ALL_USERS.map((user) => user.age)), 9)
    })
  })

  it('calculateAverageAge resolves to 0 for an empty table', async () => {
    await onEachDialect([], async (db) => {
      expect(await calculateAverageAge({ db })).toBe(0)
    })
  })

  it('calculateAverageAge computes the mean itself: no statement it sends asks SQL for AVG(', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      const watch = watchDatabase(db)
      try {
        await calculateAverageAge({ db })
      } finally {
        watch.stop()
      }
      expect(watch.statements.length).toBeGreaterThan(0)
      expect(watch.statements.filter((sql) => /\bavg\s*\(/i.test(sql))).toEqual([])
    })
  })

  it('calculateAverageAge never loads the table: of 6000 users, no single read from the driver hands over more than half', async () => {
    const many = manyUsers()
    await onEachDialect(many, async (db) => {
      const watch = watchDatabase(db)
      let average: number
      try {
        average = await calculateAverageAge({ db })
      } finally {
        watch.stop()
      }
      expect(average).toBeCloseTo(mean(many.map((user) => user.age)), 6)
      if (watch.largestRead > STREAM_READ_LIMIT) {
        const how = watch.largestRead >= MANY_USERS ? `all ${MANY_USERS}` : `${watch.largestRead} of the ${MANY_USERS}`
        throw new Error(
          `calculateAverageAge read ${how} rows in one go: sum the ages as streamUserAges yields them instead of loading the table ` +
            `(no single read may hand over more than ${STREAM_READ_LIMIT} rows)`,
        )
      }
    })
  })
})
