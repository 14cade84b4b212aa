// The learner's deliverable for Tasks 0-3 (the course's test_utils.py), as the reference writes it.
// Graded by mutation: these tests must pass on the provided src/ and fail on each of the task's mutants.
import { describe, expect, jest, test } from '@jest/globals'
import { accessNestedMap } from '../src/access-nested-map'
import { KeyError } from '../src/errors'
import { getJson } from '../src/get-json'
import { memoize } from '../src/memoize'

describe('Task 0: accessNestedMap returns the value at the path', () => {
  test.each([
    [{ a: 1 }, ['a'], 1],
    [{ a: { b: 2 } }, ['a'], { b: 2 }],
    [{ a: { b: 2 } }, ['a', 'b'], 2],
  ])('accessNestedMap(%j, %j) is %j', (nestedMap, path, expected) => {
    expect(accessNestedMap(nestedMap, path)).toEqual(expected)
  })
})

describe('Task 1: accessNestedMap raises a KeyError for a missing key', () => {
  test.each([
    [{}, ['a'], "'a'"],
    [{ a: 1 }, ['a', 'b'], "'b'"],
  ])('accessNestedMap(%j, %j) throws KeyError(%s)', (nestedMap, path, message) => {
    let caught: unknown
    try {
      accessNestedMap(nestedMap, path)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(KeyError)
    expect((caught as KeyError).message).toBe(message)
  })
})

describe('Task 2: getJson returns the JSON body, with the HTTP call mocked', () => {
  test.each([
    ['http://example.com', { payload: true }],
    ['http://holberton.io', { payload: false }],
  ])('getJson(%p) resolves to %j after one GET of that URL', async (url, payload) => {
    using fetchMock = jest.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json(payload))

    await expect(getJson(url)).resolves.toEqual(payload)

    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(fetchMock.mock.calls[0]?.[0]).toBe(url)
  })
})

describe('Task 3: memoize', () => {
  test('a memoized property calls its method once and returns its result every time', () => {
    class TestClass {
      aMethod(): number {
        return 42
      }

      @memoize
      get aProperty(): number {
        return this.aMethod()
      }
    }
    using aMethod = jest.spyOn(TestClass.prototype, 'aMethod').mockReturnValue(42)
    const instance = new TestClass()

    expect(instance.aProperty).toBe(42)
    expect(instance.aProperty).toBe(42)
    expect(aMethod).toHaveBeenCalledTimes(1)
  })
})
