/** One unit of concurrent work: gets a signal that aborts when a sibling fails (or the caller aborts). */
export type Task<T> = (signal: AbortSignal) => Promise<T>

/** Options of `gather`. */
export interface GatherOptions {
  /** Aborts every task; `gather` then rejects with the first failure (usually `signal.reason`). */
  readonly signal?: AbortSignal | undefined
}

/**
 * `Promise.all` that cleans up after itself: the tasks run concurrently, and when one fails the others are aborted
 * and awaited, so by the time it rejects (with the first error) no task is still holding a connection.
 * `asyncio.gather` and `Promise.all` both leave the siblings running.
 * @example
 * const [all, older] = await gather([(signal) => asyncFetchUsers({ signal }), (signal) => asyncFetchOlderUsers({ signal })])
 */
export async function gather<const T extends readonly unknown[]>(tasks: { readonly [K in keyof T]: Task<T[K]> }, options: GatherOptions = {}): Promise<{ -readonly [K in keyof T]: T[K] }> {
  options.signal?.throwIfAborted()
  const controller = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal
  const running = (tasks as readonly Task<unknown>[]).map((task) =>
    Promise.resolve()
      .then(() => {
        // the caller may have aborted between the call and this microtask
        signal.throwIfAborted()
        return task(signal)
      })
      .catch((err: unknown) => {
        controller.abort(err)
        throw err
      }),
  )
  try {
    return (await Promise.all(running)) as { -readonly [K in keyof T]: T[K] }
  } catch (err) {
    await Promise.allSettled(running)
    throw err
  }
}

/**
 * Throws an `AggregateError` of every reason when all the results are rejections; otherwise returns them unchanged.
 * @example
 * const settled = throwIfAllRejected(await Promise.allSettled(promises), 'queries')
 */
export function throwIfAllRejected<T extends readonly PromiseSettledResult<unknown>[]>(settled: T, what = 'operations'): T {
  if (settled.length > 0 && settled.every((r) => r.status === 'rejected')) {
    const reasons = settled.map((r) => (r as PromiseRejectedResult).reason as unknown)
    throw new AggregateError(reasons, `All ${settled.length} ${what} failed: ${reasons.map((r) => (r instanceof Error ? r.message : String(r))).join('; ')}`)
  }
  return settled
}

/**
 * `Promise.allSettled`, except that it rejects with an `AggregateError` (every reason, in order) when all of them
 * failed: partial results are data, a total failure is an error.
 * @example
 * const [all, older] = await allSettledOrThrow([asyncFetchUsers(), asyncFetchOlderUsers()])
 * if (older.status === 'rejected') logger.warn(older.reason)
 */
export async function allSettledOrThrow<const T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: PromiseSettledResult<Awaited<T[K]>> }> {
  const settled = await Promise.allSettled(promises)
  return throwIfAllRejected(settled)
}
