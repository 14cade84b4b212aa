// Graded: Task 1 of tasks.md — streamUsers, an async generator of every user, one at a time.
import { streamUsers } from '../../src/stream-users'
import { ALL_USERS, byKey, collect, COURSE_USERS, expectStreamedBeforeFirst, manyUsers, onEachDialect, rowsReadAtFirstNext, touchedBeforeNext } from './support'

describe('Task 1: streamUsers yields the users one by one', () => {
  it('yields every user as { user_id, name, email, age } in user_id order, with age as a number', async () => {
    await onEachDialect(ALL_USERS, async (db) => {
      const users = await collect(streamUsers({ db }))
      expect(users).toEqual(byKey(ALL_USERS))
      expect(users.map((user) => typeof user.age)).toEqual(ALL_USERS.map(() => 'number'))
    })
  })

  it('1-main: the first six users of islice(streamUsers(), 6) are the course rows 1-6', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const taken = []
      for await (const user of streamUsers({ db })) {
        taken.push(user)
        if (taken.length === 6) break
      }
      expect(taken).toEqual(COURSE_USERS.slice(0, 6))
    })
  })

  it('touches the database only at the first next(): calling streamUsers() takes no connection and sends no SQL', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const { value: users, acquired, statements } = await touchedBeforeNext(db, () => streamUsers({ db }))
      expect({ acquired, statements }).toEqual({ acquired: 0, statements: [] })
      expect((await users.next()).value).toEqual(COURSE_USERS[0])
      await users.return(undefined)
    })
  })

  it('streams from a cursor: of 6000 users, at most half have been read from the driver when the first is yielded', async () => {
    const many = manyUsers()
    await onEachDialect(many, async (db) => {
      const { first, rowsRead } = await rowsReadAtFirstNext(db, () => streamUsers({ db }))
      expect(first.value).toEqual(byKey(many)[0])
      expectStreamedBeforeFirst('streamUsers', 'user', rowsRead)
    })
  })

  it('gives its connection back when the loop breaks early, and leaves the given db open', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      for await (const user of streamUsers({ db })) {
        expect(user).toEqual(COURSE_USERS[0])
        break
      }
      expect(db.poolStats().used).toBe(0)
      expect(db.closed).toBe(false)
      expect(await collect(streamUsers({ db }))).toHaveLength(COURSE_USERS.length)
    })
  })

  it('yields nothing for an empty table', async () => {
    await onEachDialect([], async (db) => {
      expect(await collect(streamUsers({ db }))).toEqual([])
    })
  })

  it('without options, reads the database openDatabase() opens (DATABASE_URL)', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const saved = process.env.DATABASE_URL
      process.env.DATABASE_URL = db.rawUrl
      try {
        expect(await collect(streamUsers())).toEqual(COURSE_USERS)
      } finally {
        if (saved === undefined) delete process.env.DATABASE_URL
        else process.env.DATABASE_URL = saved
      }
    })
  })
})
