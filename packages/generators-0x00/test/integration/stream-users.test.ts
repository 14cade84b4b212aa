import { createUserDataTable, generateUserRows, insertUserRows, openDatabase } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import type { TestDatabase } from '@alx/db-core/testing'
import { streamUsers } from '../../src'
import { collect, newUser, seedUsers, USERS_BY_KEY } from '../fixtures'

describe('Task 1: streamUsers yields one user at a time, lazily', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    let db: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await seedUsers(db)
    })
    afterAll(() => db.close())

    it('yields every row as { user_id, name, email, age } in primary-key order, age a number', async () => {
      const users = await collect(streamUsers({ db }))
      expect(users).toEqual(USERS_BY_KEY)
      for (const user of users) {
        expect(Object.keys(user)).toEqual(['user_id', 'name', 'email', 'age'])
        expect(typeof user.age).toBe('number')
      }
    })

    it('touches the database only at the first next(), and holds one connection while iterating', async () => {
      const acquire = jest.spyOn(db.knex.client as { acquireConnection(): Promise<unknown> }, 'acquireConnection')
      try {
        const users = streamUsers({ db })
        expect(acquire).not.toHaveBeenCalled()
        expect(db.poolStats().used).toBe(0)
        const first = await users.next()
        expect(first.value).toEqual(USERS_BY_KEY[0])
        expect(acquire).toHaveBeenCalledTimes(1)
        expect(db.poolStats().used).toBe(1)
        await users.next()
        expect(acquire).toHaveBeenCalledTimes(1)
        await users.return()
        expect(db.poolStats().used).toBe(0)
      } finally {
        acquire.mockRestore()
      }
    })

    it('releases its connection when the loop breaks after the first row', async () => {
      let seen = 0
      for await (const user of streamUsers({ db })) {
        expect(user).toEqual(USERS_BY_KEY[0])
        seen++
        break
      }
      expect(seen).toBe(1)
      expect(db.poolStats().used).toBe(0)
      // …and the pool still works.
      expect(await collect(streamUsers({ db }))).toHaveLength(USERS_BY_KEY.length)
    })

    it('releases its connection when the consumer throws', async () => {
      const boom = new Error('consumer failed')
      await expect(
        (async () => {
          for await (const _user of streamUsers({ db })) throw boom
        })(),
      ).rejects.toBe(boom)
      expect(db.poolStats().used).toBe(0)
    })

    it('stops with the abort reason when its signal aborts mid-stream', async () => {
      const stop = new AbortController()
      const users = streamUsers({ db, signal: stop.signal, readAhead: 1 })
      await users.next()
      stop.abort(new Error('enough'))
      await expect(users.next()).rejects.toThrow('enough')
      expect(db.poolStats().used).toBe(0)
    })

    it('reads one consistent snapshot, as a single SELECT does: a row committed mid-stream is not seen', async () => {
      await using writer = await openDatabase(db.rawUrl)
      const late = newUser(1) // 'e…' sorts after every known id except 'f…'
      const users = streamUsers({ db, readAhead: 1 })
      try {
        expect((await users.next()).value).toEqual(USERS_BY_KEY[0])
        await writer.knex('user_data').insert(late)
        expect(await collect(users)).toEqual(USERS_BY_KEY.slice(1))
        expect(await collect(streamUsers({ db }))).toContainEqual(late)
      } finally {
        await users.return()
        await writer.knex('user_data').where('user_id', late.user_id).delete()
      }
    })

    it('runs two streams side by side on separate connections', async () => {
      const a = streamUsers({ db })
      const b = streamUsers({ db })
      const [x, y] = await Promise.all([a.next(), b.next()])
      expect(x.value).toEqual(y.value)
      expect(db.poolStats().used).toBe(2)
      await Promise.all([a.return(), b.return()])
      expect(db.poolStats().used).toBe(0)
    })
  })

  describe.each(testDialects())('on a larger table, on %s', (dialect) => {
    const ROWS = 20_000
    let db: TestDatabase
    beforeAll(async () => {
      db = await createTestDb(dialect)
      await createUserDataTable(db)
      const rows = [...generateUserRows(ROWS, 7)]
      for (let i = 0; i < rows.length; i += 1000) await insertUserRows(db.knex, rows.slice(i, i + 1000))
    })
    afterAll(() => db.close())

    it('streams every row once, in key order', async () => {
      let count = 0
      let outOfOrder = 0
      let previous = ''
      for await (const user of streamUsers({ db })) {
        if (user.user_id <= previous) outOfOrder++
        previous = user.user_id
        count++
      }
      expect(count).toBe(ROWS)
      expect(outOfOrder).toBe(0)
    })

    it('leaves the pool clean and usable after breaking out with most rows unread', async () => {
      let taken = 0
      for await (const _user of streamUsers({ db })) if (++taken === 10) break
      expect(taken).toBe(10)
      expect(db.poolStats().used).toBe(0)
      const counted: Array<{ n: number | string }> = await db.knex('user_data').count({ n: '*' })
      expect(Number(counted[0]?.n)).toBe(ROWS)
    })
  })
})
