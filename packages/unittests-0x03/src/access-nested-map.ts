import { KeyError, formatValue } from './errors'

/**
 * The type found at `TPath` inside `TMap`, or `unknown` when the path is not statically known.
 *
 * @example
 * type B = ValueAtPath<{ a: { b: 2 } }, ['a', 'b']> // => 2
 */
export type ValueAtPath<TMap, TPath extends readonly PropertyKey[]> = TPath extends readonly []
  ? TMap
  : TPath extends readonly [infer TKey, ...infer TRest extends readonly PropertyKey[]]
    ? TMap extends ReadonlyMap<infer TMapKey, infer TMapValue>
      ? TKey extends TMapKey
        ? ValueAtPath<TMapValue, TRest>
        : unknown
      : TMap extends object
        ? TKey extends keyof TMap
          ? ValueAtPath<TMap[TKey], TRest>
          : unknown
        : unknown
    : unknown

/**
 * Walks `path` into nested objects (or `Map`s) and returns the value at its end; an empty path returns the map itself.
 *
 * A missing key, or a step into something that is not an object, throws a `KeyError` for that key,
 * whose message is the Python repr of the key (`'a'`), as in the course's `utils.access_nested_map`.
 * Only own properties count: `accessNestedMap({}, ['toString'])` throws instead of returning a prototype method.
 *
 * @example
 * accessNestedMap({ a: { b: 2 } }, ['a', 'b']) // => 2
 * accessNestedMap({ a: 1 }, ['a', 'b']) // throws KeyError: 'b'
 */
export function accessNestedMap<TMap, const TPath extends readonly PropertyKey[]>(
  nestedMap: TMap,
  path: TPath,
): ValueAtPath<TMap, TPath> {
  if (!Array.isArray(path)) {
    throw new TypeError(`Expected \`path\` to be an array of keys, got ${formatValue(path)}.`)
  }
  let current: unknown = nestedMap
  for (const key of path as readonly PropertyKey[]) {
    if (current instanceof Map) {
      if (!current.has(key)) throw new KeyError(key, path)
      current = current.get(key)
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, key)) {
      current = (current as Record<PropertyKey, unknown>)[key]
    } else {
      throw new KeyError(key, path)
    }
  }
  return current as ValueAtPath<TMap, TPath>
}
