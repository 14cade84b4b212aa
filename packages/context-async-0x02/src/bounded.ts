import { assertPositiveInteger } from '@alx/db-core'
import type { UsersRow } from '@alx/db-core'
import { AsyncConnection, assertStatement } from './async-connection'
import type { ConnectionTarget } from './async-connection'
import { gather, throwIfAllRejected } from './gather'
import { withSharedTarget } from './shared-target'

/** One parameterized statement. */
export interface QuerySpec {
  readonly sql: string
  /** Values bound to the `?` placeholders. @default [] */
  readonly params?: readonly unknown[]
}

/** Options of `runQueries` and `runQueriesSettled`. */
export interface RunQueriesOptions extends ConnectionTarget {
  /**
   * The most connections open at once; each runs its share of the queries one after another.
   * @default 4
   */
  readonly concurrency?: number
  /** Cancels every query still running or waiting. */
  readonly signal?: AbortSignal | undefined
}

/** Options of `mapWithConcurrency`. */
export interface MapOptions {
  /** The most calls of `fn` in flight at once. */
  readonly concurrency: number
  /** Stops starting new items and aborts the ones in flight. */
  readonly signal?: AbortSignal | undefined
}

function checkQueries(queries: readonly QuerySpec[]): void {
  if (!Array.isArray(queries)) throw new TypeError(`Expected \`queries\` to be an array of { sql, params }, got ${typeof queries}.`)
  queries.forEach((q: QuerySpec | undefined, i) => {
    if (typeof q !== 'object' || q === null) throw new TypeError(`Expected \`queries[${i}]\` to be { sql, params }, got ${q === null ? 'null' : typeof q}.`)
    assertStatement(q.sql, q.params ?? [])
  })
}

/**
 * Maps `items` through async `fn` with at most `concurrency` calls in flight, results in input order. The first
 * failure aborts the calls in flight (through their signal), starts no new ones, and is rethrown once they settled.
 * @example
 * const pages = await mapWithConcurrency(urls, (url, _i, signal) => fetch(url, { signal }), { concurrency: 3 })
 */
export async function mapWithConcurrency<TItem, TResult>(
  items: Iterable<TItem>,
  fn: (item: TItem, index: number, signal: AbortSignal) => Promise<TResult>,
  options: MapOptions,
): Promise<TResult[]> {
  assertPositiveInteger('concurrency', options.concurrency)
  const list = [...items]
  const results = new Array<TResult>(list.length)
  let next = 0
  const worker = async (signal: AbortSignal): Promise<void> => {
    for (let i = next++; i < list.length; i = next++) {
      signal.throwIfAborted()
      results[i] = await fn(list[i] as TItem, i, signal)
    }
  }
  await gather(Array.from({ length: Math.min(options.concurrency, list.length) }, () => worker), { signal: options.signal })
  return results
}

/**
 * Runs `queries` concurrently on at most `concurrency` connections (each connection runs its share in turn) and
 * returns their rows in order. The first failure cancels the rest, and it rejects once every connection is closed.
 * @example
 * const [adults, seniors] = await runQueries([{ sql: 'SELECT * FROM users WHERE age > ?', params: [25] }, { sql: 'SELECT * FROM users WHERE age > ?', params: [60] }], { concurrency: 2 })
 */
export async function runQueries<TRow = Record<string, unknown>>(queries: readonly QuerySpec[], options: RunQueriesOptions = {}): Promise<TRow[][]> {
  checkQueries(queries)
  const concurrency = options.concurrency ?? 4
  assertPositiveInteger('concurrency', concurrency)
  const lanes = Math.min(concurrency, queries.length)
  if (lanes === 0) return []
  return withSharedTarget(options, lanes, async (target) => {
    const results = new Array<TRow[]>(queries.length)
    let next = 0
    const lane = async (signal: AbortSignal): Promise<void> => {
      if (next >= queries.length) return
      await using conn = await AsyncConnection.open({ ...target, signal })
      for (let i = next++; i < queries.length; i = next++) {
        const query = queries[i] as QuerySpec
        results[i] = await conn.query<TRow>(query.sql, query.params ?? [], { signal })
      }
    }
    await gather(Array.from({ length: lanes }, () => lane), { signal: options.signal })
    return results
  })
}

/**
 * Like `runQueries`, but one failing query does not stop the others: returns every outcome as a
 * `PromiseSettledResult`, and rejects with an `AggregateError` of all the reasons only when every query failed.
 * @example
 * const [users, missing] = await runQueriesSettled([{ sql: 'SELECT * FROM users' }, { sql: 'SELECT * FROM nope' }])
 * if (missing.status === 'rejected') console.warn(missing.reason)
 */
export async function runQueriesSettled<TRow = Record<string, unknown>>(queries: readonly QuerySpec[], options: RunQueriesOptions = {}): Promise<PromiseSettledResult<TRow[]>[]> {
  checkQueries(queries)
  const concurrency = options.concurrency ?? 4
  assertPositiveInteger('concurrency', concurrency)
  const lanes = Math.min(concurrency, queries.length)
  if (lanes === 0) return []
  const { signal } = options
  return withSharedTarget(options, lanes, async (target) => {
    const results = new Array<PromiseSettledResult<TRow[]> | undefined>(queries.length)
    let openError: unknown
    let next = 0
    const lane = async (): Promise<void> => {
      if (next >= queries.length) return
      let conn: AsyncConnection
      try {
        conn = await AsyncConnection.open({ ...target, signal })
      } catch (err) {
        // the other lanes take this lane's queries; if none can connect, every query reports this error
        openError ??= err
        return
      }
      await using _closes = conn
      for (let i = next++; i < queries.length; i = next++) {
        const query = queries[i] as QuerySpec
        try {
          results[i] = { status: 'fulfilled', value: await conn.query<TRow>(query.sql, query.params ?? [], { signal }) }
        } catch (reason) {
          results[i] = { status: 'rejected', reason }
        }
      }
    }
    await Promise.all(Array.from({ length: lanes }, lane))
    signal?.throwIfAborted()
    return throwIfAllRejected(
      results.map((r): PromiseSettledResult<TRow[]> => r ?? { status: 'rejected', reason: openError }),
      'queries',
    )
  })
}

/**
 * The course's two queries (every user, and those older than 40) run at once on two connections, each settling on its
 * own: `[all, older]` as `PromiseSettledResult`s; an `AggregateError` of both reasons only when both failed.
 * @example
 * const [all, older] = await fetchConcurrentlySettled({ db })
 * if (older.status === 'fulfilled') console.log(older.value.length)
 */
export async function fetchConcurrentlySettled(options: ConnectionTarget & { readonly signal?: AbortSignal | undefined } = {}): Promise<[PromiseSettledResult<UsersRow[]>, PromiseSettledResult<UsersRow[]>]> {
  const [all, older] = await runQueriesSettled<UsersRow>([{ sql: 'SELECT * FROM users' }, { sql: 'SELECT * FROM users WHERE age > ?', params: [40] }], { ...options, concurrency: 2 })
  return [all as PromiseSettledResult<UsersRow[]>, older as PromiseSettledResult<UsersRow[]>]
}
