import { isTransientError, openConnection, openDatabase, TransientDatabaseError } from '@alx/db-core'
import type { Connection } from '@alx/db-core'
import { createTestDb, testDialects } from '@alx/db-core/testing'
import { attemptsOf, RetryOnFailure, retryOnFailure, TransactionAbortedError, transactional, withDbConnection, WithDbConnection, Transactional, currentConnection } from '../../src'
import type { RetryContext } from '../../src'
import { agesOf, countUsers, expectDriverError, usersTable } from './helpers'

const bump = (conn: Connection, id: number): Promise<unknown> => conn.query('UPDATE users SET age = age + 1 WHERE id = ?', [id])

/**
 * Another transaction that holds row 2 and, when started, asks for row 1: a deadlock with any transaction
 * holding row 1 and asking for row 2 (whichever asks last closes the cycle). It writes 20 rows first, so
 * InnoDB picks the other, lighter transaction as the victim.
 */
async function deadlockPartner(other: Connection): Promise<() => Promise<void>> {
  await other.query('START TRANSACTION')
  for (let i = 0; i < 20; i += 1) await other.query('INSERT INTO users (name, email, age) VALUES (?, ?, 0)', [`Heavy ${i}`, `heavy${i}@example.com`])
  await bump(other, 2)
  return async () => {
    await bump(other, 1)
    await other.query('COMMIT')
  }
}

describe('Task 3: retryOnFailure', () => {
  describe.each(testDialects())('on %s', (dialect) => {
    it('does not retry a syntax error', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      const onRetry = jest.fn()
      let calls = 0
      const broken = retryOnFailure({ retries: 3, delay: 0, onRetry })(
        withDbConnection(async (conn) => {
          calls += 1
          return conn.query('SELEC * FROM users')
        }, { db }),
      )
      const caught = await broken().catch((err: unknown) => err)
      expectDriverError(caught, { sqlite: /syntax error/, mysql: 'ER_PARSE_ERROR' }, dialect)
      expect(isTransientError(caught)).toBe(false)
      expect(attemptsOf(caught)).toBe(1)
      expect(calls).toBe(1)
      expect(onRetry).not.toHaveBeenCalled()
      expect(db.poolStats().used).toBe(0)
    })

    it('has a class-method form: @RetryOnFailure() above @WithDbConnection() @Transactional()', async () => {
      await using db = await createTestDb(dialect)
      await usersTable(db)
      class Accounts {
        attempts = 0
        @RetryOnFailure({ retries: 2, delay: 1 })
        @WithDbConnection({ db })
        @Transactional()
        async bump(id: number): Promise<number> {
          this.attempts += 1
          await bump(currentConnection(), id)
          // simulated (the real BUSY and deadlock are below): raised after the write, to prove the
          // write is rolled back before the next attempt runs in a fresh transaction
          if (this.attempts === 1) throw new TransientDatabaseError('simulated lock timeout')
          return this.attempts
        }
      }
      const accounts = new Accounts()
      await expect(accounts.bump(1)).resolves.toBe(2)
      expect((await agesOf(db))[1]).toBe(1)
    })
  })

  it('retries a real SQLite BUSY until the other writer lets go, then succeeds', async () => {
    await using db = await createTestDb('sqlite', { busyTimeoutMs: 20 })
    await usersTable(db, 0)
    await using otherDb = await openDatabase(db.rawUrl)
    const holder = await openConnection(otherDb)
    await holder.query('BEGIN IMMEDIATE')
    await holder.query('INSERT INTO users (name, email) VALUES (?, ?)', ['Holder', 'holder@example.com'])
    const retried: RetryContext[] = []
    const addUser = retryOnFailure({
      retries: 5,
      delay: 5,
      onRetry: async (context) => {
        retried.push(context)
        // the lock is held through two failed attempts, then released
        if (retried.length === 2) {
          await holder.query('COMMIT')
          await holder.release()
        }
      },
    })(
      withDbConnection(
        transactional(async (conn, name: string) => {
          await conn.query('INSERT INTO users (name, email) VALUES (?, ?)', [name, 'ada@example.com'])
          return name
        }),
        { db },
      ),
    )
    await expect(addUser('Ada')).resolves.toBe('Ada')
    expect(retried.map((r) => [r.attempt, (r.error as { code?: string }).code])).toEqual([
      [1, 'SQLITE_BUSY'],
      [2, 'SQLITE_BUSY'],
    ])
    expect(await countUsers(db)).toBe(2)
    expect(db.poolStats().used).toBe(0)
  })

  // MariaDB only: a deadlock needs row locks held by two sessions
  for (const dialect of testDialects().filter((d) => d === 'mysql')) {
    describe('real deadlocks on MariaDB', () => {
      it('retries a real deadlock between two concurrent transactions until both succeed', async () => {
        await using db = await createTestDb(dialect)
        await usersTable(db, 2)
        let arrived = 0
        let bothHoldOneRow: () => void = () => undefined
        const meet = new Promise<void>((r) => (bothHoldOneRow = r))
        const retried: unknown[] = []
        const transfer = retryOnFailure({ retries: 5, delay: 20, onRetry: ({ error }) => void retried.push(error) })(
          withDbConnection(
            transactional(async (conn, first: number, second: number) => {
              await bump(conn, first)
              // first attempts wait until each holds its first row; then each asks for the other's row
              arrived += 1
              if (arrived === 2) bothHoldOneRow()
              await meet
              await bump(conn, second)
            }),
            { db },
          ),
        )
        await Promise.all([transfer(1, 2), transfer(2, 1)])
        expect(retried.length).toBeGreaterThanOrEqual(1)
        expect(retried[0]).toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })
        // every transfer applied exactly once: the deadlocked attempt left nothing behind
        expect(await agesOf(db)).toEqual({ 1: 2, 2: 2 })
        expect(db.poolStats().used).toBe(0)
      })

      describe('stacking order: retry around a fresh transaction, not inside one', () => {
        it('why: after a deadlock MariaDB has already rolled the transaction back, and a following statement commits on its own', async () => {
          await using db = await createTestDb(dialect)
          await usersTable(db, 2)
          await using otherDb = await openDatabase(db.rawUrl)
          const other = await openConnection(otherDb)
          const partner = await deadlockPartner(other)
          const conn = await openConnection(db)
          try {
            await conn.query('START TRANSACTION')
            await bump(conn, 1)
            const done = partner()
            await expect(bump(conn, 2)).rejects.toMatchObject({ errno: 1213 })
            // what a naive retry inside the transaction would do next
            await conn.query('INSERT INTO users (name, email) VALUES (?, ?)', ['Orphan', 'orphan@example.com'])
            await conn.query('ROLLBACK')
            await done
          } finally {
            await conn.release()
            await other.release()
          }
          expect(await db.knex('users').where({ name: 'Orphan' }).select('name')).toEqual([{ name: 'Orphan' }])
        })

        it('right: retryOnFailure(withDbConnection(transactional(fn))) re-runs the whole transaction after a deadlock', async () => {
          await using db = await createTestDb(dialect)
          await usersTable(db, 2)
          await using otherDb = await openDatabase(db.rawUrl)
          const other = await openConnection(otherDb)
          const partner = await deadlockPartner(other)
          let partnerDone: Promise<void> = Promise.resolve()
          let attempts = 0
          const work = retryOnFailure({ retries: 3, delay: 20 })(
            withDbConnection(
              transactional(async (conn) => {
                attempts += 1
                await conn.query('INSERT INTO users (name, email) VALUES (?, ?)', ['Outer', 'outer@example.com'])
                await bump(conn, 1)
                if (attempts === 1) partnerDone = partner()
                await bump(conn, 2)
              }),
              { db },
            ),
          )
          try {
            await work()
            await partnerDone
          } finally {
            await other.release()
          }
          expect(attempts).toBe(2)
          const outer = await db.knex('users').where({ name: 'Outer' }).count<Array<{ n: number }>>({ n: '*' })
          expect(Number(outer[0]?.n)).toBe(1)
          expect(await agesOf(db)).toMatchObject({ 1: 2, 2: 2 })
        })

        it('wrong: a retry inside one transaction cannot recover — InnoDB rolled the whole transaction back — so it fails loudly and commits nothing', async () => {
          await using db = await createTestDb(dialect)
          await usersTable(db, 2)
          await using otherDb = await openDatabase(db.rawUrl)
          const other = await openConnection(otherDb)
          const partner = await deadlockPartner(other)
          let partnerDone: Promise<void> = Promise.resolve()
          const innerErrors: unknown[] = []
          const innerAttempts: number[] = []
          const bumpSecond = retryOnFailure({ retries: 3, delay: 20, onRetry: ({ error }) => void innerErrors.push(error) })(
            transactional(async (conn: Connection) => {
              innerAttempts.push(innerAttempts.length + 1)
              if (innerAttempts.length === 1) partnerDone = partner()
              await bump(conn, 2)
            }),
          )
          const work = withDbConnection(
            transactional(async (conn) => {
              await conn.query('INSERT INTO users (name, email) VALUES (?, ?)', ['Outer', 'outer@example.com'])
              await bump(conn, 1)
              await bumpSecond(conn)
            }),
            { db },
          )
          let caught: unknown
          try {
            caught = await work().catch((err: unknown) => err)
            await partnerDone
          } finally {
            await other.release()
          }
          // the deadlock surfaces (transient, so a retry *around* the transaction would handle it) ...
          expect(caught).toMatchObject({ code: 'ER_LOCK_DEADLOCK' })
          // ... the inner retry made one more attempt, which was refused instead of running in autocommit mode
          expect(innerErrors).toHaveLength(1)
          expect(innerAttempts).toEqual([1])
          // ... and nothing of ours was committed: no half transaction
          const outer = await db.knex('users').where({ name: 'Outer' }).count<Array<{ n: number }>>({ n: '*' })
          expect(Number(outer[0]?.n)).toBe(0)
          expect(await agesOf(db)).toMatchObject({ 1: 1, 2: 1 })
          expect(db.poolStats().used).toBe(0)
        })

        it('refuses further statements in a transaction the server has ended, with TransactionAbortedError', async () => {
          await using db = await createTestDb(dialect)
          await usersTable(db, 2)
          await using otherDb = await openDatabase(db.rawUrl)
          const other = await openConnection(otherDb)
          const partner = await deadlockPartner(other)
          let partnerDone: Promise<void> = Promise.resolve()
          let afterwards: unknown
          const work = withDbConnection(
            transactional(async (conn) => {
              await bump(conn, 1)
              partnerDone = partner()
              // the function swallows the deadlock and carries on: that must not autocommit
              await bump(conn, 2).catch(() => undefined)
              afterwards = await conn.query('INSERT INTO users (name, email) VALUES (?, ?)', ['Late', 'late@example.com']).catch((err: unknown) => err)
            }),
            { db },
          )
          let caught: unknown
          try {
            caught = await work().catch((err: unknown) => err)
            await partnerDone
          } finally {
            await other.release()
          }
          expect(afterwards).toBeInstanceOf(TransactionAbortedError)
          expect(caught).toMatchObject({ code: 'ER_LOCK_DEADLOCK' })
          expect(await db.knex('users').where({ name: 'Late' })).toEqual([])
        })
      })
    })
  }
})
