export interface RetryOptions {
  /** Attempts in all, the first call included. Default 3. */
  readonly retries?: number
  /** Wait between two attempts, in milliseconds. Default 2000. */
  readonly delay?: number
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * A decorator factory: the decorated function is tried up to `retries` times in all, waiting
 * `delay` ms between two attempts; the last error is re-raised (the course's `retry_on_failure`).
 * Like the course, every error is retried.
 */
export function retryOnFailure(
  options?: RetryOptions,
): <TArgs extends unknown[], TResult>(fn: (...args: TArgs) => Promise<TResult>) => (...args: TArgs) => Promise<TResult> {
  const retries = options?.retries ?? 3
  const delay = options?.delay ?? 2000

  return <TArgs extends unknown[], TResult>(fn: (...args: TArgs) => Promise<TResult>) => {
    return async (...args: TArgs): Promise<TResult> => {
      let attempt = 1
      while (true) {
        try {
          return await fn(...args)
        } catch (error) {
          if (attempt >= retries) {
            throw error
          }
          attempt += 1
          await sleep(delay)
        }
      }
    }
  }
}
