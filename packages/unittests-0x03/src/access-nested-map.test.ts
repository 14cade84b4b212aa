import { describe, expect, test } from '@jest/globals'
import { accessNestedMap } from './access-nested-map'
import { KeyError, pythonRepr } from './errors'

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('Expected the call to throw.')
}

describe('Task 0: accessNestedMap returns the value at a path', () => {
  // The course's @parameterized.expand cases, in order.
  test.each([
    [{ a: 1 }, ['a'], 1],
    [{ a: { b: 2 } }, ['a'], { b: 2 }],
    [{ a: { b: 2 } }, ['a', 'b'], 2],
  ])('accessNestedMap(%j, %j) returns %j', (nestedMap, path, expected) => {
    expect(accessNestedMap(nestedMap, path)).toEqual(expected)
  })

  test('returns the map itself for an empty path', () => {
    const nestedMap = { a: { b: 2 } }
    expect(accessNestedMap(nestedMap, [])).toBe(nestedMap)
  })

  test('returns falsy values and null stored at the path', () => {
    expect(accessNestedMap({ a: { b: 0 } }, ['a', 'b'])).toBe(0)
    expect(accessNestedMap({ a: null }, ['a'])).toBeNull()
    expect(accessNestedMap({ a: undefined }, ['a'])).toBeUndefined()
  })

  test('walks Maps, arrays and symbol keys', () => {
    const tag = Symbol('tag')
    const nestedMap = { users: new Map([['ada', { langs: ['en', 'fr'] }]]), [tag]: 'x' }
    expect(accessNestedMap(nestedMap, ['users', 'ada', 'langs', 1])).toBe('fr')
    expect(accessNestedMap(nestedMap, [tag])).toBe('x')
  })

  test('types the result from a literal path', () => {
    const value: number = accessNestedMap({ a: { b: 2 } }, ['a', 'b'])
    expect(value).toBe(2)
  })

  const circular: Record<string, unknown> = {}
  circular.self = circular
  test.each([
    ['a', 'Expected `path` to be an array of keys, got "a".'],
    [undefined, 'Expected `path` to be an array of keys, got undefined.'],
    [{ 0: 'a' }, 'Expected `path` to be an array of keys, got {"0":"a"}.'],
    [circular, 'Expected `path` to be an array of keys, got [object Object].'],
    [function keys() {}, 'Expected `path` to be an array of keys, got function keys.'],
    [() => 'a', 'Expected `path` to be an array of keys, got function (anonymous).'],
  ])('rejects a path that is not an array: %p', (path, message) => {
    expect(() => accessNestedMap({ a: 1 }, path as unknown as string[])).toThrow(new TypeError(message))
  })
})

describe('Task 1: accessNestedMap raises KeyError for the failing key', () => {
  // The course's cases: the message is str(KeyError(key)), i.e. the key's repr.
  test.each([
    [{}, ['a'], 'a'],
    [{ a: 1 }, ['a', 'b'], 'b'],
  ])('accessNestedMap(%j, %j) throws KeyError %p', (nestedMap, path, key) => {
    const error = catchError(() => accessNestedMap(nestedMap, path))
    expect(error).toBeInstanceOf(KeyError)
    expect(error).toMatchObject({ key, path, name: 'KeyError', code: 'KEY_ERROR', message: `'${key}'` })
    expect(String(error)).toBe(`KeyError: '${key}'`)
  })

  test('reads only own properties, so prototype members are missing keys', () => {
    expect(() => accessNestedMap({}, ['toString'])).toThrow(KeyError)
    expect(() => accessNestedMap({ a: {} }, ['a', 'constructor'])).toThrow("'constructor'")
  })

  test('a step into null, a string or a missing Map entry names that step', () => {
    expect(catchError(() => accessNestedMap({ license: null }, ['license', 'key']))).toMatchObject({ key: 'key' })
    expect(catchError(() => accessNestedMap({ a: 'text' }, ['a', 'length']))).toMatchObject({ key: 'length' })
    expect(catchError(() => accessNestedMap(new Map([['x', 1]]), ['y']))).toMatchObject({ key: 'y' })
  })

  test.each([
    ['a', "'a'"],
    ["it's", `"it's"`],
    [`both ' and "`, `'both \\' and "'`],
    ['back\\slash\n', "'back\\\\slash\\n'"],
    [0, '0'],
    [Symbol('s'), 'Symbol(s)'],
  ])('the message is Python’s repr of the key (case %#): %s', (key, repr) => {
    expect(pythonRepr(key)).toBe(repr)
    expect(new KeyError(key).message).toBe(repr)
  })
})
