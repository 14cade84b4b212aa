import { TransientDatabaseError } from '@alx/db-core'
import type { Connection, UsersRow } from '@alx/db-core'
import { retryOnFailure } from '../../src/retry-on-failure'
import { because, onEachDatabase, USERS, withTestConnection } from '../support/users-db'

/** A function that fails `failures` times with a transient database error (a new one each time), then returns `value`. */
function flaky<T>(failures: number, value: T) {
  const errors: Error[] = []
  const calls: Array<{ readonly at: number; readonly args: unknown[] }> = []
  const fn = async (...args: unknown[]): Promise<T> => {
    calls.push({ at: performance.now(), args })
    await Promise.resolve()
    if (calls.length <= failures) {
      const error = new TransientDatabaseError(`database is locked (attempt ${calls.length})`)
      errors.push(error)
      throw error
    }
    return value
  }
  return { fn, calls, errors }
}

describe('Task 3: retryOnFailure', () => {
  it('makes at most `retries` attempts in all, then rejects with the last error itself', async () => {
    const { fn, calls, errors } = flaky(10, 'never')
    const caught = await retryOnFailure({ retries: 3, delay: 1 })(fn)().catch((err: unknown) => err)
    because('retryOnFailure({ retries: 3 }) must call the function at most 3 times in all (the first call counts)', () => expect(calls).toHaveLength(3))
    because('after the last attempt fails, the call must reject with that attempt’s error itself (re-raise it, do not wrap it)', () => expect(caught).toBe(errors[2]))
  })

  it('returns the result of the first attempt that succeeds and makes no further attempt', async () => {
    const { fn, calls } = flaky(2, 'third time lucky')
    const result = await retryOnFailure({ retries: 5, delay: 1 })(fn)()
    because('the call must resolve with the result of the attempt that succeeded', () => expect(result).toBe('third time lucky'))
    because('two failures then a success: exactly 3 attempts, none after the success', () => expect(calls).toHaveLength(3))
  })

  it('calls the function once when it succeeds at once', async () => {
    const { fn, calls } = flaky(0, 42)
    await expect(retryOnFailure({ retries: 3, delay: 1 })(fn)()).resolves.toBe(42)
    because('a first attempt that succeeds must be the only one', () => expect(calls).toHaveLength(1))
  })

  it('makes one attempt only with retries 1', async () => {
    const { fn, calls, errors } = flaky(5, 'never')
    const caught = await retryOnFailure({ retries: 1, delay: 1 })(fn)().catch((err: unknown) => err)
    because('retryOnFailure({ retries: 1 }) must call the function once', () => expect(calls).toHaveLength(1))
    because('it must reject with that attempt’s error', () => expect(caught).toBe(errors[0]))
  })

  it('makes 3 attempts by default', async () => {
    const { fn, calls } = flaky(10, 'never')
    await retryOnFailure({ delay: 1 })(fn)().catch(() => undefined)
    because('without `retries`, retryOnFailure must make at most 3 attempts, as the course’s retry_on_failure(retries=3)', () => expect(calls).toHaveLength(3))
  })

  it('calls the function with the same arguments on every attempt', async () => {
    const { fn, calls } = flaky(2, 'ok')
    const options = { verbose: true }
    await retryOnFailure({ retries: 3, delay: 1 })(fn)(7, 'seven', options)
    because('every attempt must get the caller’s arguments', () => expect(calls.map((call) => call.args)).toEqual([[7, 'seven', options], [7, 'seven', options], [7, 'seven', options]]))
  })

  it('waits `delay` milliseconds between two attempts', async () => {
    const delay = 80
    const { fn, calls } = flaky(2, 'ok')
    await retryOnFailure({ retries: 3, delay })(fn)()
    const gaps = calls.slice(1).map((call, i) => Math.round(call.at - (calls[i]?.at ?? 0)))
    because(`with delay: ${delay}, each attempt must start at least ${delay} ms after the previous one (got gaps of ${gaps.join(', ')} ms)`, () =>
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(delay - 2),
    )
  })

  it('does not wait after the last attempt', async () => {
    const delay = 400
    const { fn, calls } = flaky(10, 'never')
    const rejectedAt = await retryOnFailure({ retries: 2, delay })(fn)().then(
      () => Number.NaN,
      () => performance.now(),
    )
    const lastAttemptAt = calls[calls.length - 1]?.at ?? 0
    because('after the last attempt fails, the call must reject at once, not after another wait of `delay`', () => expect(rejectedAt - lastAttemptAt).toBeLessThan(delay / 2))
    because('retries: 2 means 2 attempts', () => expect(calls).toHaveLength(2))
  })

  it('retries a read of the users table on its connection, as the course’s template', async () => {
    await onEachDatabase(async (db) => {
      let attempts = 0
      const fetchUsersWithRetry = withTestConnection(
        db,
        retryOnFailure({ retries: 3, delay: 10 })(async (conn: Connection) => {
          attempts += 1
          if (attempts < 3) throw new TransientDatabaseError(`database is locked (attempt ${attempts})`)
          return conn.query<UsersRow>('SELECT * FROM users ORDER BY id')
        }),
      )
      const users = await fetchUsersWithRetry()
      because('the third attempt reads the table: the call must resolve with its rows', () => expect(users.map((user) => user.name)).toEqual(USERS.map((user) => user.name)))
      because('two failures then a success make exactly 3 attempts', () => expect(attempts).toBe(3))
    })
  })
})
