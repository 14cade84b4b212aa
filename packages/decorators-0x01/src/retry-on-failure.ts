import { isTransientError } from '@alx/db-core'
import { describeValue } from './describe-value'
import { TransactionAbortedError } from './errors'
import type { AsyncFunction, AsyncMethodDecorator } from './types'

/** What `onRetry` is told before each wait. */
export interface RetryContext {
  /** The error of the attempt that just failed. */
  readonly error: unknown
  /** That attempt's number, from 1. */
  readonly attempt: number
  /** Attempts still allowed after this one, counting the one about to happen (so ≥ 1). */
  readonly retriesLeft: number
  /** How long it will wait before the next attempt, in milliseconds. */
  readonly delayMs: number
}

/** Options of `retryOnFailure` and `@RetryOnFailure()`. */
export interface RetryOptions {
  /**
   * Attempts in all, the first call included, as the course's `retry_on_failure(retries=3)`: `3` calls `fn`
   * at most 3 times; `1` calls it once.
   * @default 3
   */
  readonly retries?: number
  /**
   * Wait between two attempts, in milliseconds (the Python original's `delay` was in seconds); none after the last.
   * @default 2000
   */
  readonly delay?: number
  /**
   * Each further wait is this many times the previous one (exponential backoff); `1`, the default, keeps every
   * wait at `delay`, as the course's `time.sleep(delay)`.
   * @default 1
   */
  readonly factor?: number
  /**
   * No wait is longer than this, in milliseconds.
   * @default 30000
   */
  readonly maxDelay?: number
  /**
   * Randomness in each wait, from 0 (exact) to 1 (anywhere from 0 to the full wait): a wait is
   * `base × (1 − jitter × random)`, so two callers that collided (a deadlock) do not collide again. Opt-in:
   * the default waits exactly `delay`.
   * @default 0
   */
  readonly jitter?: number
  /**
   * Which errors are worth another attempt.
   * @default transient database errors (`isTransientError`: SQLite BUSY/LOCKED, MySQL deadlock, lock wait
   * timeout, lost connection), except `TransactionAbortedError`
   */
  readonly shouldRetry?: (error: unknown) => boolean
  /** Called before each wait; an error thrown here ends the retrying with that error. */
  readonly onRetry?: (context: RetryContext) => void | Promise<void>
  /** Aborting stops at once: no further attempt, and a pending wait rejects with the signal's reason. */
  readonly signal?: AbortSignal
}

/**
 * The default `shouldRetry`: transient database errors, but never `TransactionAbortedError` (retrying inside
 * a transaction the server has already rolled back cannot succeed; the enclosing transaction must be retried).
 * @example
 * retryOnFailure({ shouldRetry: (err) => isRetryableError(err) || err instanceof MyFlakyError })
 */
export function isRetryableError(error: unknown): boolean {
  return !(error instanceof TransactionAbortedError) && isTransientError(sameRealm(error))
}

/**
 * A plain copy of the fields `isTransientError` reads, for an error made in another realm: it tests
 * `instanceof Object`, which is false there. Jest gives each test file a realm, but better-sqlite3's native
 * module, loaded once per process, keeps building its errors from the first file's realm.
 */
function sameRealm(error: unknown, depth = 0): unknown {
  if (typeof error !== 'object' || error === null || error instanceof Object || depth > 16) return error
  const { code, errno, name, cause } = error as { code?: unknown; errno?: unknown; name?: unknown; cause?: unknown }
  return { code, errno, name, cause: sameRealm(cause, depth + 1) }
}

/**
 * The number of attempts `retryOnFailure` made before it rethrew `error`, or `undefined` if it did not.
 * @example
 * catch (err) { logger.warn({ attempts: attemptsOf(err) }, 'gave up') }
 */
export function attemptsOf(error: unknown): number | undefined {
  const attempts = (error as { attempts?: unknown } | null | undefined)?.attempts
  return typeof attempts === 'number' ? attempts : undefined
}

function withAttempts(error: unknown, attempts: number): unknown {
  if (typeof error === 'object' && error !== null && Object.isExtensible(error)) {
    Object.defineProperty(error, 'attempts', { value: attempts, writable: true, configurable: true, enumerable: false })
  }
  return error
}

function check(name: string, value: unknown, ok: (n: number) => boolean, what: string): number {
  if (typeof value !== 'number' || !ok(value)) throw new TypeError(`Expected \`${name}\` to be ${what}, got ${describeValue(value)}.`)
  return value
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error)
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason as Error)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

interface Policy {
  readonly retries: number
  readonly delay: number
  readonly factor: number
  readonly maxDelay: number
  readonly jitter: number
  readonly shouldRetry: (error: unknown) => boolean
  readonly onRetry: RetryOptions['onRetry']
  readonly signal: AbortSignal | undefined
}

function policyOf(options: RetryOptions): Policy {
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected retry options to be an object, got ${describeValue(options)}.`)
  const { shouldRetry = isRetryableError, onRetry, signal } = options
  if (typeof shouldRetry !== 'function') throw new TypeError(`Expected \`shouldRetry\` to be a function, got ${describeValue(shouldRetry)}.`)
  if (onRetry !== undefined && typeof onRetry !== 'function') throw new TypeError(`Expected \`onRetry\` to be a function, got ${describeValue(onRetry)}.`)
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${describeValue(signal)}.`)
  return {
    retries: check('retries', options.retries ?? 3, (n) => Number.isSafeInteger(n) && n >= 1, 'a positive integer (the number of attempts)'),
    delay: check('delay', options.delay ?? 2000, (n) => Number.isFinite(n) && n >= 0, 'a non-negative number of milliseconds'),
    factor: check('factor', options.factor ?? 1, (n) => Number.isFinite(n) && n >= 1, 'a number ≥ 1'),
    maxDelay: check('maxDelay', options.maxDelay ?? 30_000, (n) => Number.isFinite(n) && n >= 0, 'a non-negative number of milliseconds'),
    jitter: check('jitter', options.jitter ?? 0, (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    shouldRetry,
    onRetry,
    signal,
  }
}

/** The wait after failed attempt number `attempt` (1-based), before the next one. */
function backoff(policy: Policy, attempt: number): number {
  const base = Math.min(policy.maxDelay, policy.delay * policy.factor ** (attempt - 1))
  return policy.jitter === 0 ? base : Math.round(base * (1 - policy.jitter * Math.random()))
}

/**
 * Makes a retrying wrapper, as the course's `retry_on_failure(retries, delay)`: `fn` is called at most
 * `retries` times in all, waiting `delay` ms between two attempts (none after the last); a transient database
 * error is retried, any other error fails at once. The error finally thrown is the last one itself, with the
 * number of attempts made as its `attempts` property (see `attemptsOf`). `factor` and `jitter` turn the constant
 * wait into exponential backoff with jitter.
 * @example
 * const fetchUsers = retryOnFailure({ retries: 3, delay: 1000 })(withDbConnection((conn) => conn.query('SELECT * FROM users'), { db }))
 */
export function retryOnFailure(options: RetryOptions = {}): <TThis, TArgs extends unknown[], TResult>(fn: AsyncFunction<TThis, TArgs, TResult>) => AsyncFunction<TThis, TArgs, TResult> {
  const policy = policyOf(options)
  const { retries, shouldRetry, onRetry, signal } = policy
  return function <TThis, TArgs extends unknown[], TResult>(fn: AsyncFunction<TThis, TArgs, TResult>): AsyncFunction<TThis, TArgs, TResult> {
    if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}.`)
    return async function retrying(this: TThis, ...args: TArgs): Promise<TResult> {
      for (let attempt = 1; ; attempt += 1) {
        signal?.throwIfAborted()
        try {
          return await fn.apply(this, args)
        } catch (error) {
          const retriesLeft = retries - attempt
          if (retriesLeft <= 0 || signal?.aborted === true || !shouldRetry(error)) throw withAttempts(error, attempt)
          const delayMs = backoff(policy, attempt)
          if (onRetry !== undefined) await onRetry({ error, attempt, retriesLeft, delayMs })
          await sleep(delayMs, signal)
        }
      }
    }
  }
}

/**
 * The class-method form of `retryOnFailure`.
 * @example
 * class Users {
 *   @RetryOnFailure({ retries: 3, delay: 100 }) @WithDbConnection({ db }) @Transactional()
 *   async transfer(from: number, to: number) { … }
 * }
 */
export function RetryOnFailure(options: RetryOptions = {}): AsyncMethodDecorator {
  const wrap = retryOnFailure(options)
  return function <TThis, TArgs extends unknown[], TResult>(method: AsyncFunction<TThis, TArgs, TResult>): AsyncFunction<TThis, TArgs, TResult> {
    return wrap(method)
  }
}
