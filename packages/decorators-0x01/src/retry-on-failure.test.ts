import { TransientDatabaseError } from '@alx/db-core'
import { TransactionAbortedError } from './errors'
import { attemptsOf, isRetryableError, retryOnFailure, RetryOnFailure } from './retry-on-failure'
import type { RetryContext } from './retry-on-failure'

function flaky(failures: number, error: () => unknown = () => new TransientDatabaseError('database is locked')) {
  let calls = 0
  const fn = jest.fn(async (value: string): Promise<string> => {
    calls += 1
    await Promise.resolve()
    if (calls <= failures) throw error()
    return `${value}:${calls}`
  })
  return fn
}

describe('Task 3: retryOnFailure', () => {
  it('`retries` counts attempts, as the course: retries 3 makes at most 3 attempts, then rethrows the last error with the count', async () => {
    const errors = [1, 2, 3, 4].map((n) => new TransientDatabaseError(`locked #${n}`))
    let i = 0
    const fn = jest.fn(() => Promise.reject(errors[i++] as Error))
    const caught = await retryOnFailure({ retries: 3, delay: 0 })(fn)().catch((err: unknown) => err)
    expect(fn).toHaveBeenCalledTimes(3)
    expect(caught).toBe(errors[2])
    expect(attemptsOf(caught)).toBe(3)
  })

  it('retries 1 calls once', async () => {
    const fn = flaky(1)
    await expect(retryOnFailure({ retries: 1, delay: 0 })(fn)('x')).rejects.toThrow('database is locked')
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('waits exactly `delay` between attempts by default (no backoff, no jitter), none after the last', async () => {
    jest.useFakeTimers()
    try {
      const seen: RetryContext[] = []
      const fn = flaky(5)
      const done = retryOnFailure({ retries: 3, delay: 100, onRetry: (c) => void seen.push(c) })(fn)('x').catch((err: unknown) => err)
      await jest.advanceTimersByTimeAsync(99)
      expect(fn).toHaveBeenCalledTimes(1)
      await jest.advanceTimersByTimeAsync(1)
      expect(fn).toHaveBeenCalledTimes(2)
      await jest.advanceTimersByTimeAsync(100)
      expect(fn).toHaveBeenCalledTimes(3)
      expect(attemptsOf(await done)).toBe(3)
      expect(seen.map((c) => [c.attempt, c.retriesLeft, c.delayMs])).toEqual([
        [1, 2, 100],
        [2, 1, 100],
      ])
    } finally {
      jest.useRealTimers()
    }
  })

  it('returns the first success and passes arguments and `this` through', async () => {
    const fn = flaky(2)
    await expect(retryOnFailure({ retries: 3, delay: 0 })(fn)('a')).resolves.toBe('a:3')
    expect(fn).toHaveBeenCalledTimes(3)
    const obj = {
      base: 10,
      add: retryOnFailure({ delay: 0 })(async function (this: { base: number }, n: number) {
        return Promise.resolve(this.base + n)
      }),
    }
    await expect(obj.add(5)).resolves.toBe(15)
  })

  it('fails at once on an error that is not transient', async () => {
    const syntax = Object.assign(new Error('near "SELEC": syntax error'), { code: 'SQLITE_ERROR' })
    const fn = flaky(5, () => syntax)
    const onRetry = jest.fn()
    const caught = await retryOnFailure({ retries: 3, delay: 0, onRetry })(fn)('x').catch((err: unknown) => err)
    expect(caught).toBe(syntax)
    expect(attemptsOf(caught)).toBe(1)
    expect(fn).toHaveBeenCalledTimes(1)
    expect(onRetry).not.toHaveBeenCalled()
  })

  it('never retries TransactionAbortedError, though its cause is transient', () => {
    const aborted = new TransactionAbortedError(Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 }))
    expect(isRetryableError(aborted.cause)).toBe(true)
    expect(isRetryableError(aborted)).toBe(false)
  })

  it('waits with exponential backoff and tells onRetry about each wait', async () => {
    jest.useFakeTimers()
    try {
      const seen: RetryContext[] = []
      const fn = flaky(3)
      const done = retryOnFailure({ retries: 4, delay: 100, factor: 2, jitter: 0, onRetry: (c) => void seen.push(c) })(fn)('x')
      await jest.advanceTimersByTimeAsync(99)
      expect(fn).toHaveBeenCalledTimes(1)
      await jest.advanceTimersByTimeAsync(1)
      expect(fn).toHaveBeenCalledTimes(2)
      await jest.advanceTimersByTimeAsync(200 + 400)
      await expect(done).resolves.toBe('x:4')
      expect(seen.map((c) => [c.attempt, c.retriesLeft, c.delayMs])).toEqual([
        [1, 3, 100],
        [2, 2, 200],
        [3, 1, 400],
      ])
      expect(seen[0]?.error).toBeInstanceOf(TransientDatabaseError)
    } finally {
      jest.useRealTimers()
    }
  })

  it('keeps jittered waits between (1 − jitter) × base and base, capped by maxDelay', async () => {
    const delays: number[] = []
    const fn = flaky(6)
    await retryOnFailure({ retries: 7, delay: 4, factor: 3, maxDelay: 50, jitter: 0.5, onRetry: (c) => void delays.push(c.delayMs) })(fn)('x')
    const bases = [4, 12, 36, 50, 50, 50]
    delays.forEach((d, k) => {
      expect(d).toBeGreaterThanOrEqual(Math.floor((bases[k] as number) / 2))
      expect(d).toBeLessThanOrEqual(bases[k] as number)
    })
  })

  it('stops when the signal aborts during a wait, with the signal reason', async () => {
    const controller = new AbortController()
    const fn = flaky(10)
    const done = retryOnFailure({ retries: 5, delay: 60_000, signal: controller.signal })(fn)('x')
    await new Promise((r) => setTimeout(r, 10))
    controller.abort(new Error('shutting down'))
    await expect(done).rejects.toThrow('shutting down')
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('does not start when the signal is already aborted', async () => {
    const fn = flaky(0)
    await expect(retryOnFailure({ signal: AbortSignal.abort() })(fn)('x')).rejects.toMatchObject({ name: 'AbortError' })
    expect(fn).not.toHaveBeenCalled()
  })

  it('ends with the error onRetry throws', async () => {
    const fn = flaky(3)
    await expect(
      retryOnFailure({
        delay: 0,
        onRetry: () => {
          throw new Error('budget exhausted')
        },
      })(fn)('x'),
    ).rejects.toThrow('budget exhausted')
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('rejects bad options with a TypeError naming the value', () => {
    const cases: Array<[unknown, string]> = [
    [{ retries: 0 }, 'Expected `retries` to be a positive integer (the number of attempts), got 0.'],
    [{ retries: 1.5 }, 'Expected `retries` to be a positive integer (the number of attempts), got 1.5.'],
    [{ delay: -5 }, 'Expected `delay` to be a non-negative number of milliseconds, got -5.'],
    [{ factor: 0.5 }, 'Expected `factor` to be a number ≥ 1, got 0.5.'],
    [{ jitter: 2 }, 'Expected `jitter` to be a number from 0 to 1, got 2.'],
    [{ delay: '2' }, 'Expected `delay` to be a non-negative number of milliseconds, got "2".'],
    ]
    for (const [options, message] of cases) expect(() => retryOnFailure(options as never)).toThrow(new TypeError(message))
  })

  it('has a class-method form built on the same code', async () => {
    class Repo {
      calls = 0
      @RetryOnFailure({ retries: 3, delay: 0 })
      async load(id: number): Promise<string> {
        this.calls += 1
        await Promise.resolve()
        if (this.calls < 3) throw new TransientDatabaseError('busy')
        return `user ${id}`
      }
    }
    const repo = new Repo()
    await expect(repo.load(7)).resolves.toBe('user 7')
    expect(repo.calls).toBe(3)
  })
})
