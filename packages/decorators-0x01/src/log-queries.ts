import { createLogger } from '@alx/db-core'
import type { Logger } from '@alx/db-core'
import pino from 'pino'
import { describeValue } from './describe-value'
import { analyzeSql, redactLiterals, sqlOf } from './sql'
import type { AsyncFunction, AsyncMethodDecorator } from './types'

/** pino levels a query line may be logged at. */
export type QueryLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error'

/** Options of `logQueries` and `@LogQueries()`. */
export interface LogQueriesOptions {
  /**
   * Where lines go.
   * @default a pino logger named `decorators-0x01` with ISO timestamps, level from `LOG_LEVEL` (info)
   */
  readonly logger?: Logger
  /**
   * Level of the "query" and "query done" lines; a failure is logged at `warn`. When the logger would drop
   * this level, the wrapper only calls `fn` (no timing, no SQL analysis).
   * @default 'info'
   */
  readonly level?: QueryLogLevel
  /**
   * The `fn` field of each line.
   * @default the wrapped function's name
   */
  readonly name?: string
}

let defaultLogger: Logger | undefined

/** The logger `logQueries` uses when given none. */
function getDefaultLogger(): Logger {
  defaultLogger ??= createLogger({ name: 'decorators-0x01', timestamp: pino.stdTimeFunctions.isoTime })
  return defaultLogger
}

/** What a failed call logs about its error: never the message as is (drivers quote values in it). */
function errorSummary(err: unknown): Record<string, unknown> {
  // duck-typed: a driver error may come from another realm, where `instanceof Error` is false
  if (typeof err !== 'object' || err === null) return { type: typeof err }
  const { name, code, errno, message } = err as { name?: unknown; code?: unknown; errno?: unknown; message?: unknown }
  return {
    name,
    ...(code === undefined ? {} : { code }),
    ...(errno === undefined ? {} : { errno }),
    ...(typeof message === 'string' ? { message: redactLiterals(message) } : {}),
  }
}

const LEVELS = new Set<string>(['trace', 'debug', 'info', 'warn', 'error'])
const MAX_CHILDREN = 256

/**
 * Wraps `fn` to log its SQL — the `query` of a `{ query }` argument or the first string argument — before it
 * runs, then its duration and outcome. Only the SQL with placeholders is logged (quoted literals become `?`),
 * never parameter values or the arguments; the result and any error pass through unchanged.
 * @example
 * const fetchAllUsers = logQueries(async ({ query }: { query: string }) => withConnection(db, (c) => c.query(query)))
 * await fetchAllUsers({ query: 'SELECT * FROM users' })
 */
export function logQueries<TThis, TArgs extends unknown[], TResult>(fn: AsyncFunction<TThis, TArgs, TResult>, options: LogQueriesOptions = {}): AsyncFunction<TThis, TArgs, TResult> {
  if (typeof fn !== 'function') throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}.`)
  const level = options.level ?? 'info'
  if (!LEVELS.has(level)) throw new TypeError(`Expected \`level\` to be one of trace, debug, info, warn, error, got ${describeValue(level)}.`)
  const name = options.name ?? (fn.name || 'anonymous')
  // One pino child per statement text, whose `fn` and `sql` fields pino serialises once, not on every line.
  const children = new Map<string | undefined, Logger>()
  let childrenOf: Logger | undefined
  let childrenLevel = -1
  // the last statement's child: a function usually runs one statement text
  let lastSql: string | undefined
  let lastChild: Logger | undefined
  const childFor = (log: Logger, sql: string | undefined): Logger => {
    if (log !== childrenOf || log.levelVal !== childrenLevel || children.size >= MAX_CHILDREN) {
      children.clear()
      childrenOf = log
      childrenLevel = log.levelVal
      lastChild = undefined
    } else if (lastChild !== undefined && sql === lastSql) return lastChild
    let child = children.get(sql)
    if (child === undefined) {
      child = log.child({ fn: name, sql: sql === undefined ? undefined : analyzeSql(sql).redacted })
      children.set(sql, child)
    }
    lastSql = sql
    lastChild = child
    return child
  }
  return async function logged(this: TThis, ...args: TArgs): Promise<TResult> {
    const log = options.logger ?? getDefaultLogger()
    if (!log.isLevelEnabled(level)) return fn.apply(this, args)
    const child = childFor(log, sqlOf(args))
    child[level]('query')
    const started = performance.now()
    try {
      const result = await fn.apply(this, args)
      child[level]({ durationMs: Math.round((performance.now() - started) * 1000) / 1000, ok: true }, 'query done')
      return result
    } catch (err) {
      child.warn({ durationMs: Math.round((performance.now() - started) * 1000) / 1000, ok: false, error: errorSummary(err) }, 'query failed')
      throw err
    }
  }
}

/**
 * The class-method form of `logQueries` (the `fn` field is the method's name).
 * @example
 * class Users { @LogQueries() async all(query: string) { … } }
 */
export function LogQueries(options: LogQueriesOptions = {}): AsyncMethodDecorator {
  return function <TThis, TArgs extends unknown[], TResult>(
    method: AsyncFunction<TThis, TArgs, TResult>,
    context: ClassMethodDecoratorContext<TThis, AsyncFunction<TThis, TArgs, TResult>>,
  ): AsyncFunction<TThis, TArgs, TResult> {
    return logQueries(method, { ...options, name: options.name ?? String(context.name) })
  }
}
