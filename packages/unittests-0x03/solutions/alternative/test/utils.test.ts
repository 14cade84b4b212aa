// An alternative learner submission for Tasks 0-3, written from tasks.md alone (not from the reference tests):
// object rows with `it.each`, errors compared whole, nock at the HTTP boundary, a spy that calls through.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import nock from 'nock'
import { KeyError, accessNestedMap, getJson, memoize } from '../src'

describe('Task 0: accessNestedMap walks a path of keys', () => {
  it.each([
    { nestedMap: { a: 1 }, path: ['a'], expected: 1 },
    { nestedMap: { a: { b: 2 } }, path: ['a'], expected: { b: 2 } },
    { nestedMap: { a: { b: 2 } }, path: ['a', 'b'], expected: 2 },
  ])('path $path of $nestedMap gives $expected', ({ nestedMap, path, expected }) => {
    expect(accessNestedMap(nestedMap, path)).toStrictEqual(expected)
  })
})

describe('Task 1: accessNestedMap and missing keys', () => {
  it.each([
    { nestedMap: {}, path: ['a'], message: "'a'" },
    { nestedMap: { a: 1 }, path: ['a', 'b'], message: "'b'" },
  ])('path $path of $nestedMap raises KeyError $message', ({ nestedMap, path, message }) => {
    const call = (): unknown => accessNestedMap(nestedMap, path)
    expect(call).toThrow(KeyError)
    expect(call).toThrow(message)
  })
})

describe('Task 2: getJson over a mocked HTTP server', () => {
  afterEach(() => {
    nock.cleanAll()
  })

  it.each([
    { url: 'http://example.com', payload: { payload: true } },
    { url: 'http://holberton.io', payload: { payload: false } },
  ])('GET $url once and parse $payload', async ({ url, payload }) => {
    const scope = nock(url).get('/').once().reply(200, payload)

    const body = await getJson(url)

    expect(body).toStrictEqual(payload)
    expect(scope.isDone()).toBe(true)
    expect(nock.pendingMocks()).toHaveLength(0)
  })
})

describe('Task 3: memoize caches a property', () => {
  afterEach(() => {
    jest.restoreAllMocks()
  })

  it('reads aProperty twice, runs aMethod once', () => {
    class TestClass {
      aMethod(): number {
        return 42
      }

      @memoize
      get aProperty(): number {
        return this.aMethod()
      }
    }
    const spy = jest.spyOn(TestClass.prototype, 'aMethod')
    const subject = new TestClass()

    const first = subject.aProperty
    const second = subject.aProperty

    expect([first, second]).toStrictEqual([42, 42])
    expect(spy).toHaveBeenCalledTimes(1)
  })
})
