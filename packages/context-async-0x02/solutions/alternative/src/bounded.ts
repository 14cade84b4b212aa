// Task 3 (advanced): bounded concurrency — many queries on a few connections.
import type { UsersRow } from '@alx/db-core'
import { AsyncConnection, assertStatement } from './async-connection'
import type { ConnectionTarget } from './async-connection'
import { throwIfAllRejected } from './gather'

export interface QuerySpec {
  readonly sql: string
  readonly params?: readonly unknown[]
}

export interface RunQueriesOptions extends ConnectionTarget {
  readonly concurrency?: number
  readonly signal?: AbortSignal | undefined
}

export interface MapOptions {
  readonly concurrency: number
  readonly signal?: AbortSignal | undefined
}

function assertConcurrency(concurrency: unknown): asserts concurrency is number {
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`Expected \`concurrency\` to be a positive integer, got ${String(concurrency)}.`)
  }
}

/**
 * Calls `fn(item, index, signal)` for every item with at most `concurrency` calls in flight; the results come back
 * in input order. The first failure starts no new call, aborts the ones in flight, and is rethrown once they settled.
 */
export async function mapWithConcurrency<TItem, TResult>(
  items: Iterable<TItem>,
  fn: (item: TItem, index: number, signal: AbortSignal) => Promise<TResult>,
  options: MapOptions,
): Promise<TResult[]> {
  const { concurrency, signal } = options
  assertConcurrency(concurrency)
  signal?.throwIfAborted()

  const list = [...items]
  const results: TResult[] = new Array<TResult>(list.length)
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(signal?.reason)
  signal?.addEventListener('abort', onAbort, { once: true })

  let next = 0
  let failure: { reason: unknown } | undefined

  // one worker per slot: each takes the next item until none is left (or something failed)
  const worker = async (): Promise<void> => {
    while (next < list.length && failure === undefined && !controller.signal.aborted) {
      const index = next++
      try {
        results[index] = await fn(list[index] as TItem, index, controller.signal)
      } catch (reason) {
        if (failure === undefined) {
          failure = { reason }
          controller.abort(reason)
        }
      }
    }
  }

  const workers: Array<Promise<void>> = []
  for (let i = 0; i < Math.min(concurrency, list.length); i++) workers.push(worker())
  try {
    await Promise.all(workers)
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
  if (failure !== undefined) throw failure.reason
  signal?.throwIfAborted()
  return results
}

/** Checks the arguments of runQueries / runQueriesSettled; returns the concurrency. */
function checkQueries(queries: unknown, concurrency: unknown): number {
  if (!Array.isArray(queries)) throw new TypeError(`Expected \`queries\` to be an array of { sql, params }, got ${String(queries)}.`)
  for (const query of queries as unknown[]) {
    if (typeof query !== 'object' || query === null) throw new TypeError(`Expected a query { sql, params }, got ${String(query)}.`)
    const { sql, params = [] } = query as { sql?: unknown; params?: unknown }
    assertStatement(sql, params)
  }
  assertConcurrency(concurrency)
  return concurrency
}

/**
 * Runs the queries on at most `concurrency` connections (each runs its share one after another) and resolves to
 * each query's rows, in query order. The first failure cancels the rest; every connection is closed before it rejects.
 */
export async function runQueries<TRow = Record<string, unknown>>(queries: readonly QuerySpec[], options: RunQueriesOptions = {}): Promise<TRow[][]> {
  const { db, url, signal, concurrency = 4 } = options
  checkQueries(queries, concurrency)
  if (queries.length === 0) return []

  const results: TRow[][] = new Array<TRow[]>(queries.length)
  let next = 0
  const lanes = Math.min(concurrency, queries.length)
  const laneNumbers = Array.from({ length: lanes }, (_, i) => i)

  // each lane is one connection; mapWithConcurrency aborts the other lanes when one fails
  await mapWithConcurrency(
    laneNumbers,
    async (_lane, _index, laneSignal) => {
      await using conn = await AsyncConnection.open({ db, url, signal: laneSignal })
      while (next < queries.length) {
        laneSignal.throwIfAborted()
        const index = next++
        const query = queries[index] as QuerySpec
        results[index] = await conn.query<TRow>(query.sql, query.params ?? [], { signal: laneSignal })
      }
    },
    { concurrency: lanes, signal },
  )
  return results
}

/**
 * Like runQueries, but a failing query does not stop the others: one settled result per query. Rejects with an
 * AggregateError only when every query failed.
 */
export async function runQueriesSettled<TRow = Record<string, unknown>>(queries: readonly QuerySpec[], options: RunQueriesOptions = {}): Promise<PromiseSettledResult<TRow[]>[]> {
  const { db, url, signal, concurrency = 4 } = options
  checkQueries(queries, concurrency)
  signal?.throwIfAborted()

  const settled: Array<PromiseSettledResult<TRow[]> | undefined> = Array.from({ length: queries.length }, () => undefined)
  let next = 0
  let openError: unknown = new Error('the query never ran')

  const lane = async (): Promise<void> => {
    let conn: AsyncConnection
    try {
      conn = await AsyncConnection.open({ db, url, signal })
    } catch (err) {
      openError = err
      return
    }
    try {
      while (next < queries.length && !signal?.aborted) {
        const index = next++
        const query = queries[index] as QuerySpec
        try {
          settled[index] = { status: 'fulfilled', value: await conn.query<TRow>(query.sql, query.params ?? [], { signal }) }
        } catch (reason) {
          settled[index] = { status: 'rejected', reason }
        }
      }
    } finally {
      await conn.close()
    }
  }

  const lanes: Array<Promise<void>> = []
  for (let i = 0; i < Math.min(concurrency, queries.length); i++) lanes.push(lane())
  await Promise.all(lanes)
  signal?.throwIfAborted()

  // a query no lane could run (its connection did not open) failed with the connection's error
  const results = settled.map((result): PromiseSettledResult<TRow[]> => result ?? { status: 'rejected', reason: openError })
  return throwIfAllRejected(results, 'queries')
}

/** The course's two queries (all users, users older than 40) as settled results, on two connections. */
export async function fetchConcurrentlySettled(
  options: ConnectionTarget & { readonly signal?: AbortSignal | undefined } = {},
): Promise<[PromiseSettledResult<UsersRow[]>, PromiseSettledResult<UsersRow[]>]> {
  const { db, url, signal } = options
  const [all, older] = await runQueriesSettled<UsersRow>(
    [{ sql: 'SELECT * FROM users' }, { sql: 'SELECT * FROM users WHERE age > ?', params: [40] }],
    { db, url, signal, concurrency: 2 },
  )
  return [all as PromiseSettledResult<UsersRow[]>, older as PromiseSettledResult<UsersRow[]>]
}
