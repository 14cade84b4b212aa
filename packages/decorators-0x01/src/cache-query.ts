import { assertPositiveInteger } from '@alx/db-core'
import { LRUCache } from 'lru-cache'
import { peekConnection } from './context'
import { describeValue } from './describe-value'
import { inTransaction, isConnection, isDatabase, isKnex, ownerOf, scopeOf } from './handles'
import type { DbHandle } from './handles'
import { invalidateTables, isFresh, snapshot } from './invalidation'
import type { Snapshot } from './invalidation'
import { analyzeSql, findSql, stableKey } from './sql'
import type { SqlInfo } from './sql'
import type { AsyncFunction, AsyncMethodDecorator } from './types'

/** Options of a `QueryCache`. */
export interface QueryCacheOptions {
  /**
   * Most results kept; the least recently used goes first.
   * @default 500
   */
  readonly max?: number
  /**
   * How long a result may be served, in milliseconds; `0` keeps it until evicted or invalidated.
   * @default 60000
   */
  readonly ttl?: number
}

/** Counters of a `QueryCache` since it was made (or since `resetStats()`). */
export interface QueryCacheStats {
  /** Calls answered from the cache. */
  readonly hits: number
  /** Calls that ran the query. */
  readonly misses: number
  /** Calls that joined an identical query already running instead of starting another. */
  readonly shared: number
  /** Cached results found invalidated by a write (then counted as misses too). */
  readonly stale: number
  /** Results held now (≤ `max`). */
  readonly size: number
  readonly max: number
  /** Queries running now. */
  readonly inFlight: number
  /** `(hits + shared) / calls`, 0 before any call. */
  readonly hitRate: number
}

interface Entry {
  readonly value: unknown
  readonly snap: Snapshot
}

interface Pending {
  promise: Promise<unknown> | undefined
  readonly snap: Snapshot
}

/**
 * A bounded LRU of query results with a TTL (lru-cache), sharing of identical in-flight queries, and
 * invalidation by table: a result is dropped once a write to a table it read is committed.
 * @example
 * const cache = new QueryCache({ max: 100, ttl: 5000 })
 * const fetchUsers = withDbConnection(cacheQuery((conn, query: string) => conn.query(query), { cache }), { db })
 */
export class QueryCache {
  readonly #lru: LRUCache<string, Entry>
  readonly #inFlight = new Map<string, Pending>()
  #hits = 0
  #misses = 0
  #shared = 0
  #stale = 0

  constructor(options: QueryCacheOptions = {}) {
    const max = options.max ?? 500
    assertPositiveInteger('max', max)
    const ttl = options.ttl ?? 60_000
    if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0) {
      throw new TypeError(`Expected \`ttl\` to be a non-negative number of milliseconds, got ${describeValue(ttl)}.`)
    }
    this.#lru = new LRUCache<string, Entry>({ max, ...(ttl > 0 ? { ttl } : {}), updateAgeOnGet: false, allowStale: false })
  }

  /** Results held now. */
  get size(): number {
    return this.#lru.size
  }

  /** The most results it will hold. */
  get max(): number {
    return this.#lru.max
  }

  /** Hit and miss counters, size and hit rate. */
  stats(): QueryCacheStats {
    const calls = this.#hits + this.#shared + this.#misses
    return {
      hits: this.#hits,
      misses: this.#misses,
      shared: this.#shared,
      stale: this.#stale,
      size: this.#lru.size,
      max: this.#lru.max,
      inFlight: this.#inFlight.size,
      hitRate: calls === 0 ? 0 : (this.#hits + this.#shared) / calls,
    }
  }

  /** Sets the counters back to zero (the cached results stay). */
  resetStats(): void {
    this.#hits = 0
    this.#misses = 0
    this.#shared = 0
    this.#stale = 0
  }

  /** Drops every cached result; queries already running are no longer shared with new callers. */
  clear(): void {
    this.#lru.clear()
    this.#inFlight.clear()
  }

  /**
   * Drops results that read `tables` (all tables when omitted) — in every cache, since invalidation is
   * shared. Use it after writes made outside `transactional`/`cacheQuery`, e.g. in a transaction of your own.
   * @param options.scope limit it to one database (a handle or its scope name); default: every database.
   */
  invalidate(tables?: string | readonly string[], options: { readonly scope?: DbHandle | string } = {}): void {
    const list = tables === undefined ? undefined : typeof tables === 'string' ? [tables] : tables
    invalidateTables(options.scope === undefined ? undefined : scopeOf(options.scope), list)
  }

  /**
   * Answers from the cache, joins the same query in flight, or calls `fn` and keeps its result.
   * @internal used by `cacheQuery`, which builds `key` and knows the tables.
   */
  run<TThis, TArgs extends unknown[], T>(
    key: string,
    scope: string,
    tables: readonly string[] | undefined,
    fn: (this: TThis, ...args: TArgs) => Promise<T>,
    thisArg: TThis,
    args: TArgs,
  ): Promise<T> {
    const entry = this.#lru.get(key)
    if (entry !== undefined) {
      if (isFresh(entry.snap)) {
        this.#hits += 1
        return Promise.resolve(entry.value as T)
      }
      this.#lru.delete(key)
      this.#stale += 1
    }
    // sequential callers find nothing in flight: skip the lookup
    const running = this.#inFlight.size === 0 ? undefined : this.#inFlight.get(key)
    if (running?.promise !== undefined && isFresh(running.snap)) {
      this.#shared += 1
      return running.promise as Promise<T>
    }
    this.#misses += 1
    // taken before the query starts: a write committed while it runs makes its result unfit to keep
    const slot: Pending = { promise: undefined, snap: snapshot(scope, tables) }
    const inFlight = this.#inFlight
    const lru = this.#lru
    const promise = fn.apply(thisArg, args).then(
      (value) => {
        if (inFlight.get(key) === slot) inFlight.delete(key)
        if (isFresh(slot.snap)) lru.set(key, { value, snap: slot.snap })
        return value
      },
      (err: unknown) => {
        if (inFlight.get(key) === slot) inFlight.delete(key)
        throw err
      },
    )
    slot.promise = promise
    inFlight.set(key, slot)
    return promise
  }
}

/** What a cache offers its users: the public members of `QueryCache`, all that `queryCache` has. */
export type QueryCacheApi = Pick<QueryCache, 'size' | 'max' | 'stats' | 'resetStats' | 'clear' | 'invalidate'>

let sharedQueryCache: QueryCache | undefined

/** The cache behind `queryCache`, made on first use: importing this module makes nothing. */
function sharedCache(): QueryCache {
  sharedQueryCache ??= new QueryCache()
  return sharedQueryCache
}

/**
 * The shared cache `cacheQuery` uses by default (500 results, 60 s TTL), the course's module-level
 * `query_cache`: `queryCache.clear()`, `queryCache.stats()`, `queryCache.invalidate(['users'])`. The cache
 * itself is made on first use.
 * @example
 * queryCache.stats() // { hits: 1, misses: 1, shared: 0, stale: 0, size: 1, max: 500, inFlight: 0, hitRate: 0.5 }
 */
export const queryCache: QueryCacheApi = {
  get size(): number {
    return sharedCache().size
  },
  get max(): number {
    return sharedCache().max
  },
  stats: (): QueryCacheStats => sharedCache().stats(),
  resetStats: (): void => sharedCache().resetStats(),
  clear: (): void => sharedCache().clear(),
  invalidate: (tables?: string | readonly string[], options?: { readonly scope?: DbHandle | string }): void => sharedCache().invalidate(tables, options),
}

/** Options of `cacheQuery` and `@CacheQuery()`. */
export interface CacheQueryOptions<TArgs extends unknown[] = unknown[]> {
  /**
   * The cache to use.
   * @default queryCache
   */
  readonly cache?: QueryCache | QueryCacheApi
  /**
   * The database the results come from, when the function does not take a handle as its first argument
   * (say, it opens its own connection); results of different scopes never mix.
   * @default the first argument's database; else the connection bound by `@WithDbConnection()`; else 'default'
   */
  readonly scope?: DbHandle | string
  /**
   * Builds the key from the arguments instead of the normalized SQL and the other arguments (needed when an
   * argument is not plain data, such as a class instance).
   */
  readonly key?: (...args: TArgs) => string
}

function isHandle(value: unknown): value is DbHandle {
  return isConnection(value) || isDatabase(value) || isKnex(value)
}

/**
 * Caches the results of a read: the key is the normalized SQL (the `query` of a `{ query }` argument or the
 * first string argument) plus the other arguments, per database. A hit never calls `fn`; identical calls in
 * flight share one query; results are dropped after `ttl`, when evicted (LRU, `max`), or when a write to a
 * table they read goes through `transactional` or a `cacheQuery` function. Calls inside a transaction
 * bypass the cache (their reads may see uncommitted data), and writes are never cached.
 * Treat cached results as read-only: every hit returns the same object.
 * @example
 * const fetchUsersWithCache = withDbConnection(cacheQuery((conn, query: string) => conn.query(query)), { db })
 * await fetchUsersWithCache('SELECT * FROM users') // runs the query
 * await fetchUsersWithCache('SELECT  *  FROM users') // answered from queryCache
 */
export function cacheQuery<TThis, TArgs extends unknown[], TResult>(
  fn: AsyncFunction<TThis, TArgs, TResult>,
  options: CacheQueryOptions<TArgs> = {},
): AsyncFunction<TThis, TArgs, TResult> {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}.`)
  const { cache, key: keyOf } = options
  if (cache !== undefined && cache !== queryCache && !(cache instanceof QueryCache)) throw new TypeError(`Expected \`cache\` to be a QueryCache, got ${describeValue(cache)}.`)
  // `undefined`: the shared cache, looked up per call so that wrapping makes no cache either
  const ownCache = cache instanceof QueryCache ? cache : undefined
  if (keyOf !== undefined && typeof keyOf !== 'function') throw new TypeError(`Expected \`key\` to be a function, got ${describeValue(keyOf)}.`)
  const fixedScope = options.scope === undefined ? undefined : scopeOf(options.scope)
  // the last connection's scope and the last statement's analysis: a function usually runs one statement
  // text on a few pooled connections, so these spare two lookups per call
  let lastRaw: object | undefined
  let lastScope = ''
  let lastSql: string | undefined
  let lastInfo: SqlInfo | undefined
  const scopeFor = (handle: DbHandle | undefined): string => {
    if (fixedScope !== undefined) return fixedScope
    if (handle === undefined) return 'default'
    if (!isConnection(handle)) return scopeOf(handle)
    if (handle.raw !== lastRaw) {
      lastScope = scopeOf(handle)
      // only a connection traced to its database keeps its scope (an untraced one may be traced later)
      lastRaw = ownerOf(handle) === undefined ? undefined : handle.raw
    }
    return lastScope
  }
  return function cached(this: TThis, ...args: TArgs): Promise<TResult> {
    try {
      const first = args[0]
      const passed = isHandle(first)
      const handle = passed ? first : peekConnection()
      if (handle !== undefined && inTransaction(handle)) return fn.apply(this, args)
      const from = passed ? 1 : 0
      const found = findSql(args, from)
      if (found === undefined && keyOf === undefined) {
        throw new TypeError(`Expected a SQL string (or { query }) among the arguments of ${fn.name || 'the cached function'}, got ${args.slice(from).map(describeValue).join(', ') || 'none'}.`)
      }
      let info: SqlInfo | undefined
      if (found !== undefined) {
        if (found.sql !== lastSql || lastInfo === undefined) {
          lastInfo = analyzeSql(found.sql)
          lastSql = found.sql
        }
        info = lastInfo
      }
      const scope = scopeFor(handle)
      if (info !== undefined && info.kind !== 'read') {
        if (info.kind === 'control') return fn.apply(this, args)
        const { tables } = info
        return fn.apply(this, args).then((result) => {
          invalidateTables(scope, tables)
          return result
        })
      }
      let key = `${scope}\u0001`
      if (keyOf !== undefined) key += keyOf(...args)
      else if (found !== undefined && info !== undefined) {
        key += info.normalized
        for (let i = from; i < args.length; i += 1) {
          const arg = args[i]
          key += '\u0002'
          if (i !== found.index) key += stableKey(arg)
          else if (found.named) key += stableKey({ ...(arg as Record<string, unknown>), query: null })
        }
      }
      return (ownCache ?? sharedCache()).run(key, scope, info?.tables, fn, this, args)
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown, like an async function
      return Promise.reject(err)
    }
  }
}

/**
 * The class-method form of `cacheQuery`; the scope is the connection bound by `@WithDbConnection()` when the
 * method runs under one, else `options.scope`.
 * @example
 * class Users { @CacheQuery({ scope: db }) @WithDbConnection({ db }) async run(query: string) { return currentConnection().query(query) } }
 */
export function CacheQuery(options: CacheQueryOptions = {}): AsyncMethodDecorator {
  return function <TThis, TArgs extends unknown[], TResult>(method: AsyncFunction<TThis, TArgs, TResult>): AsyncFunction<TThis, TArgs, TResult> {
    return cacheQuery(method, options as CacheQueryOptions<TArgs>)
  }
}
