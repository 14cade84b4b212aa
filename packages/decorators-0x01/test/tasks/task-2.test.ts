import type { Connection, UsersRow } from '@alx/db-core'
import { transactional } from '../../src/transactional'
import { because, committedUsers, onEachDatabase, USERS, withTestConnection } from '../support/users-db'

const NEW_EMAIL = 'Crawford_Cartwright@hotmail.com'

const updateUserEmail = async (conn: Connection, userId: number, newEmail: string): Promise<void> => {
  await conn.query('UPDATE users SET email = ? WHERE id = ?', [newEmail, userId])
}

const withEmail = (userId: number, email: string): UsersRow[] => USERS.map((user) => (user.id === userId ? { ...user, email } : { ...user }))

describe('Task 2: transactional', () => {
  it('commits the work of a successful call: another connection sees it afterwards', async () => {
    await onEachDatabase(async (db) => {
      const update = withTestConnection(db, transactional(updateUserEmail))
      await update(1, NEW_EMAIL)
      const rows = await committedUsers(db)
      because('after a successful call its UPDATE must be committed, so another connection sees the new email', () => expect(rows).toEqual(withEmail(1, NEW_EMAIL)))
    })
  })

  it('passes the connection first and the caller’s arguments after it, and returns the result', async () => {
    await onEachDatabase(async (db) => {
      const received: unknown[][] = []
      const rename = withTestConnection(
        db,
        transactional(async (conn: Connection, userId: number, name: string) => {
          received.push([userId, name])
          await conn.query('UPDATE users SET name = ? WHERE id = ?', [name, userId])
          return `renamed ${userId}`
        }),
      )
      const result = await rename(2, 'A. M. Turing')
      because('the function must get the caller’s arguments after the connection', () => expect(received).toEqual([[2, 'A. M. Turing']]))
      because('transactional must return what the function returns', () => expect(result).toBe('renamed 2'))
      const rows = await committedUsers(db)
      because('the rename must be committed', () => expect(rows[1]?.name).toBe('A. M. Turing'))
    })
  })

  it('keeps the work uncommitted while the function runs: another connection does not see it yet', async () => {
    await onEachDatabase(async (db) => {
      let seenDuringCall: UsersRow[] | undefined
      const update = withTestConnection(
        db,
        transactional(async (conn: Connection) => {
          await updateUserEmail(conn, 1, NEW_EMAIL)
          seenDuringCall = await committedUsers(db)
        }),
      )
      await update()
      because('the function’s statements must run inside one transaction (BEGIN first): another connection must not see the UPDATE before the commit', () =>
        expect(seenDuringCall).toEqual(USERS),
      )
      const after = await committedUsers(db)
      because('the UPDATE must be committed once the function has returned', () => expect(after).toEqual(withEmail(1, NEW_EMAIL)))
    })
  })

  it('rolls back every write of a call that throws and rejects with the same error', async () => {
    await onEachDatabase(async (db) => {
      const failure = new Error('thrown after two writes')
      const failing = withTestConnection(
        db,
        transactional(async (conn: Connection) => {
          await updateUserEmail(conn, 1, NEW_EMAIL)
          await conn.query('INSERT INTO users (id, name, email, age) VALUES (?, ?, ?, ?)', [4, 'Katherine Johnson', 'katherine@example.com', 101])
          throw failure
        }),
      )
      const caught = await failing().catch((err: unknown) => err)
      because('transactional must re-raise the error the function threw, unchanged', () => expect(caught).toBe(failure))
      const rows = await committedUsers(db)
      because('on an error both writes must be rolled back (conn.query("ROLLBACK")): the users table must be as before', () => expect(rows).toEqual(USERS))
      const onPool = await withTestConnection(db, (conn: Connection) => conn.query<UsersRow>('SELECT id FROM users ORDER BY id'))()
      because('after the rollback the connection must hold no open transaction: a read on the pool must see the 3 users as before', () =>
        expect(onPool.map((row) => Number(row.id))).toEqual(USERS.map((user) => user.id)),
      )
    })
  })

  it('rolls back the earlier writes when a later statement fails', async () => {
    await onEachDatabase(async (db) => {
      const failing = withTestConnection(
        db,
        transactional(async (conn: Connection) => {
          await updateUserEmail(conn, 3, NEW_EMAIL)
          // id 1 exists: the primary key refuses it
          await conn.query('INSERT INTO users (id, name, email, age) VALUES (?, ?, ?, ?)', [1, 'Duplicate', 'dup@example.com', 1])
        }),
      )
      const outcome = await failing().then(
        () => 'resolved',
        () => 'rejected',
      )
      because('a statement that fails must make the call reject', () => expect(outcome).toBe('rejected'))
      const rows = await committedUsers(db)
      because('the UPDATE made before the failing INSERT must be rolled back', () => expect(rows).toEqual(USERS))
    })
  })

  it('leaves the connection ready for the next call after a rollback', async () => {
    await onEachDatabase(async (db) => {
      let fail = true
      const update = withTestConnection(
        db,
        transactional(async (conn: Connection, userId: number, email: string) => {
          await updateUserEmail(conn, userId, email)
          if (fail) throw new Error('first call fails')
        }),
      )
      await update(2, 'lost@example.com').catch(() => undefined)
      fail = false
      await update(1, NEW_EMAIL)
      await update(3, 'grace.hopper@example.com')
      const rows = await committedUsers(db)
      because('after a rolled-back call, later calls on the same pool must begin, commit and keep their own work only', () =>
        expect(rows).toEqual(withEmail(1, NEW_EMAIL).map((user) => (user.id === 3 ? { ...user, email: 'grace.hopper@example.com' } : user))),
      )
    })
  })
})
