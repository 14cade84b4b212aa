import { classifyLoadError, classifyTest, cleanMessage, expectedAndActual, NETWORK_BLOCKED_CODE } from './classify'
import type { ReportedFailure, ReportedTest } from './jest-report'

function failed(message: string, failure: Partial<ReportedFailure> = {}): ReportedTest {
  return {
    ancestorTitles: ['Task 0: x'],
    title: 't',
    fullName: 'Task 0: x t',
    status: 'failed',
    durationMs: 1,
    failureMessages: [message],
    failure: { name: null, message, code: null, matcher: null, timeout: false, ...failure },
  }
}

describe('classifyTest', () => {
  it('passes a passed test', () => {
    expect(classifyTest({ ...failed(''), status: 'passed', failureMessages: [], failure: null }).outcome).toBe('pass')
  })

  it('skips pending and todo tests', () => {
    expect(classifyTest({ ...failed(''), status: 'todo' }).outcome).toBe('skipped')
  })

  it('reads expected and actual from the matcher result', () => {
    const result = classifyTest(failed('expect(received).toBe(expected)\n\nExpected: 6\nReceived: 7', { matcher: { name: 'toBe', expected: '6', actual: '7' } }))
    expect(result).toMatchObject({ outcome: 'fail', expected: '6', actual: '7' })
  })

  it('turns jest timeouts into timeout with the limit', () => {
    const result = classifyTest(failed('thrown: "Exceeded timeout of 1500 ms for a test.\nAdd a timeout value…"', { timeout: true }))
    expect(result).toMatchObject({ outcome: 'timeout', message: 'Timed out: the test did not finish within 1500 ms.' })
  })

  it('recognizes a starter stub as not implemented', () => {
    const result = classifyTest(failed('NotImplementedError: Task 0: Seed the database\n    at seed (src/seed.ts:3:9)', { name: 'NotImplementedError' }))
    expect(result).toMatchObject({ outcome: 'fail', notImplemented: true, message: 'not implemented: Task 0: Seed the database' })
  })

  it('names the stub that threw', () => {
    const raw = 'NotImplementedError: not implemented: streamUsers (src/stream-users.ts)\n    at streamUsers (src/stream-users.ts:3:9)'
    expect(classifyTest(failed(raw, { name: 'NotImplementedError' }))).toMatchObject({ notImplemented: true, message: 'not implemented: streamUsers (src/stream-users.ts)' })
    const matcher = 'expect(received).rejects.toThrow(expected)\n\nExpected constructor: InvalidInputError\nReceived constructor: NotImplementedError\n\nReceived message: "not implemented: QueryCache.constructor (src/cache-query.ts)"'
    expect(classifyTest(failed(matcher))).toMatchObject({ notImplemented: true, message: 'not implemented: QueryCache.constructor (src/cache-query.ts)' })
  })

  it('recognizes the stub by its code in a matcher diff', () => {
    const result = classifyTest(failed('expect(received).rejects.toMatchObject(expected)\n\n-   "code": "ENOENT",\n+   "code": "NOT_IMPLEMENTED",'))
    expect(result).toMatchObject({ outcome: 'fail', notImplemented: true, message: 'not implemented' })
  })

  it('recognizes a blocked network connection', () => {
    const message = 'TypeError: fetch failed\n\nCause:\nError: Network access is blocked by the grader: the code tried to connect to example.com:80.'
    const result = classifyTest(failed(message, { code: NETWORK_BLOCKED_CODE }))
    expect(result).toMatchObject({ outcome: 'fail', networkBlocked: true, message: 'Network access is blocked by the grader: the code tried to connect to example.com:80.' })
  })

  it('keeps the thrown error without its stack', () => {
    const result = classifyTest(failed('TypeError: bad line\n    at parse (src/p.ts:3:9)\n    at Object.<anonymous> (src/p.test.ts:5:1)'))
    expect(result).toMatchObject({ outcome: 'fail', message: 'TypeError: bad line', expected: null, actual: null })
  })
})

describe('classifyLoadError', () => {
  it('is an error for a file that cannot load', () => {
    expect(classifyLoadError("Cannot find module './x' from 'src/a.test.ts'")).toMatchObject({ outcome: 'error', message: "The test file could not run: Cannot find module './x' from 'src/a.test.ts'" })
  })

  it('is not implemented when a stub throws at import', () => {
    expect(classifyLoadError('NotImplementedError: Task 3: Decorate')).toMatchObject({ outcome: 'fail', notImplemented: true })
    expect(classifyLoadError('Task 3: Decorate', 'NotImplementedError: Task 3: Decorate\n    at memoize (src/memoize.ts:3:9)')).toMatchObject({
      outcome: 'fail',
      notImplemented: true,
      message: 'not implemented: Task 3: Decorate',
    })
  })
})

describe('message helpers', () => {
  it('cleanMessage drops stack frames', () => {
    expect(cleanMessage('Error: boom\n    at f (a.ts:1:1)\n    at g (b.ts:2:2)')).toBe('Error: boom')
  })

  it('expectedAndActual reads jest lines', () => {
    expect(expectedAndActual('Expected length: 3\nReceived length: 2')).toEqual({ expected: '3', actual: '2' })
    expect(expectedAndActual('no diff')).toEqual({ expected: null, actual: null })
  })
})
