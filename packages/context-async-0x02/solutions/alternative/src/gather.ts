// Task 3 (advanced): gather — Promise.all that cancels the siblings of a failed task — and all-settled helpers.

export type Task<T> = (signal: AbortSignal) => Promise<T>

export interface GatherOptions {
  readonly signal?: AbortSignal | undefined
}

function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason)
}

/**
 * Starts every task at once, each with an AbortSignal, and resolves to their results in order. The first failure
 * aborts the other tasks, and gather rejects with it once every task has settled.
 */
export async function gather<const T extends readonly unknown[]>(
  tasks: { readonly [K in keyof T]: Task<T[K]> },
  options: GatherOptions = {},
): Promise<{ -readonly [K in keyof T]: T[K] }> {
  const outer = options.signal
  outer?.throwIfAborted()

  const controller = new AbortController()
  const onOuterAbort = (): void => controller.abort(outer?.reason)
  outer?.addEventListener('abort', onOuterAbort, { once: true })

  let firstFailure: { reason: unknown } | undefined
  const list = tasks as readonly Task<unknown>[]
  const running = list.map(async (task) => {
    try {
      // inside an async function, a task that throws synchronously becomes a rejection too
      return await task(controller.signal)
    } catch (reason) {
      if (firstFailure === undefined) {
        firstFailure = { reason }
        controller.abort(reason)
      }
      throw reason
    }
  })

  try {
    const settled = await Promise.allSettled(running)
    if (firstFailure !== undefined) throw firstFailure.reason
    outer?.throwIfAborted()
    return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: T[K] }
  } finally {
    outer?.removeEventListener('abort', onOuterAbort)
  }
}

/** Returns `settled` unchanged, unless it is non-empty and every entry was rejected: then an AggregateError. */
export function throwIfAllRejected<T extends readonly PromiseSettledResult<unknown>[]>(settled: T, what = 'operations'): T {
  if (settled.length > 0 && settled.every((result) => result.status === 'rejected')) {
    const reasons = settled.map((result) => (result as PromiseRejectedResult).reason as unknown)
    throw new AggregateError(reasons, `All ${settled.length} ${what} failed: ${reasons.map(messageOf).join('; ')}`)
  }
  return settled
}

/** Promise.allSettled, then throwIfAllRejected. */
export async function allSettledOrThrow<const T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: PromiseSettledResult<Awaited<T[K]>> }> {
  const settled = await Promise.allSettled(promises)
  return throwIfAllRejected(settled) as unknown as { -readonly [K in keyof T]: PromiseSettledResult<Awaited<T[K]>> }
}
