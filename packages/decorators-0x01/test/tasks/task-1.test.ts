import type { Connection, UsersRow } from '@alx/db-core'
import { withDbConnection } from '../../src/with-db-connection'
import { because, onEachDatabase, USERS } from '../support/users-db'

const getUserById = async (conn: Connection, userId: number): Promise<UsersRow | undefined> => (await conn.query<UsersRow>('SELECT * FROM users WHERE id = ?', [userId]))[0]

describe('Task 1: withDbConnection', () => {
  it('passes a connection as the first argument and the caller’s arguments after it, and returns the result', async () => {
    await onEachDatabase(async (db) => {
      const received: unknown[][] = []
      const get = withDbConnection(
        async (conn: Connection, userId: number, label: string) => {
          received.push([userId, label])
          return getUserById(conn, userId)
        },
        { db },
      )
      const user = await get(1, 'first')
      because('the function must get the caller’s arguments after the connection', () => expect(received).toEqual([[1, 'first']]))
      because('withDbConnection must return what the function returns (user 1 from the users table)', () =>
        expect(user).toMatchObject({ id: 1, name: USERS[0]?.name, email: USERS[0]?.email }),
      )
      await expect(withDbConnection(getUserById, { db })(99)).resolves.toBeUndefined()
    })
  })

  it('checks a connection out of the given database for the call and gives it back afterwards', async () => {
    await onEachDatabase(async (db) => {
      let usedDuringCall: number | undefined
      const count = withDbConnection(
        async (conn: Connection) => {
          usedDuringCall = db.poolStats().used
          return conn.query('SELECT COUNT(*) AS n FROM users')
        },
        { db },
      )
      await count()
      because('during the call, one connection of `db` must be in use (taken with openConnection(db))', () => expect(usedDuringCall).toBe(1))
      because('after the call, the connection must be given back (conn.release()): none may stay in use', () => expect(db.poolStats().used).toBe(0))
    })
  })

  it('gives the connection back and rejects with the same error when the function throws', async () => {
    await onEachDatabase(async (db) => {
      const failure = new Error('thrown by the wrapped function')
      const failing = withDbConnection(
        async (conn: Connection) => {
          await conn.query('SELECT * FROM users')
          throw failure
        },
        { db },
      )
      const caught = await failing().catch((err: unknown) => err)
      because('withDbConnection must reject with the error the function threw, unchanged', () => expect(caught).toBe(failure))
      because('the connection must be given back also when the function throws (try … finally)', () => expect(db.poolStats().used).toBe(0))
    })
  })

  it('gives the connection back when a query fails', async () => {
    await onEachDatabase(async (db) => {
      const broken = withDbConnection((conn: Connection) => conn.query('SELECT * FROM no_such_table'), { db })
      const outcome = await broken().then(
        () => 'resolved',
        () => 'rejected',
      )
      because('a failing query must make the call reject', () => expect(outcome).toBe('rejected'))
      because('the connection must be given back after a failed query', () => expect(db.poolStats().used).toBe(0))
    })
  })

  it('uses a connection per call and leaves none in use after many calls, some of them failing', async () => {
    await onEachDatabase(async (db) => {
      const work = withDbConnection(
        async (conn: Connection, i: number) => {
          if (i % 3 === 0) throw new Error(`call ${i} fails`)
          return getUserById(conn, (i % USERS.length) + 1)
        },
        { db },
      )
      for (let i = 0; i < 24; i += 1) {
        const result = await work(i).catch((err: unknown) => err)
        if (i % 3 === 0) because(`call ${i} must reject with the function’s error`, () => expect(result).toMatchObject({ message: `call ${i} fails` }))
        else because(`call ${i} must return the user it read`, () => expect(result).toMatchObject({ id: (i % USERS.length) + 1 }))
        because(`after call ${i}, no connection may stay in use`, () => expect(db.poolStats().used).toBe(0))
      }
    })
  })
})
