import { formatValue } from './errors'

/** Options for the function form of `memoize`. */
export interface MemoizeOptions<TArgs extends readonly unknown[]> {
  /**
   * Turns the arguments into the cache key (compared with `SameValueZero`, like `Map` keys).
   * @default the first argument, so calls without arguments share one entry
   */
  readonly cacheKey?: (...args: TArgs) => unknown
}

/** A memoized function: the original signature plus `clear()` to forget every cached result. */
export type MemoizedFunction<TThis, TArgs extends unknown[], TReturn> = ((this: TThis, ...args: TArgs) => TReturn) & {
  /** Forgets every cached result. */
  clear(): void
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown

const firstArgument = (...args: readonly unknown[]): unknown => args[0]

function isDecoratorContext(value: unknown): value is DecoratorContext {
  return typeof value === 'object' && value !== null && 'kind' in value && typeof value.kind === 'string' && 'addInitializer' in value
}

function memoizeFunction<TThis, TArgs extends unknown[], TReturn>(
  fn: (this: TThis, ...args: TArgs) => TReturn,
  cacheKey: (...args: TArgs) => unknown,
): MemoizedFunction<TThis, TArgs, TReturn> {
  const cache = new Map<unknown, TReturn>()
  const memoized = function memoized(this: TThis, ...args: TArgs): TReturn {
    const key = cacheKey(...args)
    if (cache.has(key)) return cache.get(key) as TReturn
    // A synchronous throw leaves nothing in the cache, so the next call tries again.
    const value = fn.apply(this, args)
    cache.set(key, value)
    if (typeof (value as { then?: unknown } | null)?.then === 'function') {
      // Concurrent callers share this one promise; a rejection is forgotten so a later call can retry.
      Promise.resolve(value).catch(() => {
        if (cache.get(key) === value) cache.delete(key)
      })
    }
    return value
  }
  return Object.assign(memoized, { clear: () => cache.clear() })
}

/**
 * Caches results: as a TS 5 standard decorator on a getter or method (computed once per instance, like the course's
 * `utils.memoize`), or as a higher-order function `memoize(fn, { cacheKey })`.
 *
 * A returned promise is cached at once, so concurrent async calls share one promise; a rejected promise or a thrown
 * error is not cached. Per-instance caches live in a `WeakMap`, so nothing is written onto the instance.
 * Methods with arguments are cached per first argument (per `cacheKey` in the function form).
 *
 * @example
 * class Org {
 *   @memoize get payload(): Promise<unknown> { return getJson('https://api.github.com/orgs/google') }
 * }
 * const square = memoize((n: number) => n * n)
 * square(4) // => 16, computed once
 */
export function memoize<TThis extends object, TValue>(
  target: (this: TThis) => TValue,
  context: ClassGetterDecoratorContext<TThis, TValue>,
): (this: TThis) => TValue
export function memoize<TThis extends object, TArgs extends unknown[], TReturn>(
  target: (this: TThis, ...args: TArgs) => TReturn,
  context: ClassMethodDecoratorContext<TThis, (this: TThis, ...args: TArgs) => TReturn>,
): (this: TThis, ...args: TArgs) => TReturn
export function memoize<TThis, TArgs extends unknown[], TReturn>(
  fn: (this: TThis, ...args: TArgs) => TReturn,
  options?: MemoizeOptions<TArgs>,
): MemoizedFunction<TThis, TArgs, TReturn>
export function memoize(target: AnyFunction, contextOrOptions?: DecoratorContext | MemoizeOptions<unknown[]>): AnyFunction {
  if (typeof target !== 'function') {
    throw new TypeError(`Expected \`fn\` to be a function, got ${formatValue(target)}.`)
  }
  if (!isDecoratorContext(contextOrOptions)) {
    const cacheKey = contextOrOptions?.cacheKey ?? firstArgument
    if (typeof cacheKey !== 'function') {
      throw new TypeError(`Expected \`cacheKey\` to be a function, got ${formatValue(cacheKey)}.`)
    }
    return memoizeFunction(target, cacheKey)
  }

  const context = contextOrOptions
  const memberName = String(context.name)
  if (context.kind !== 'getter' && context.kind !== 'method') {
    throw new TypeError(`Expected @memoize on a getter or a method, got the ${context.kind} \`${memberName}\`.`)
  }
  const perInstance = new WeakMap<object, MemoizedFunction<unknown, unknown[], unknown>>()
  return function memoizedMember(this: unknown, ...args: unknown[]): unknown {
    if ((typeof this !== 'object' && typeof this !== 'function') || this === null) {
      throw new TypeError(`Expected the memoized ${context.kind} \`${memberName}\` to be called on an instance, got ${formatValue(this)}.`)
    }
    let memoized = perInstance.get(this)
    if (memoized === undefined) {
      memoized = memoizeFunction(target, firstArgument)
      perInstance.set(this, memoized)
    }
    return memoized.apply(this, args)
  }
}
