import type { ReportedTest } from './jest-report'

/** What happened to one test or task. `error`: it could not run (does not compile, missing file, crashed suite). */
export type Outcome = 'pass' | 'fail' | 'error' | 'timeout'

/** A test's outcome with the human-readable reason. */
export interface Classified {
  readonly outcome: Outcome | 'skipped'
  readonly message: string | null
  readonly expected: string | null
  readonly actual: string | null
  /** The code under test threw `NotImplementedError` (a learner starter's stub). */
  readonly notImplemented: boolean
  /** The code under test tried to reach the network, which grading blocks. */
  readonly networkBlocked: boolean
}

/** The error code the grader's network guard uses for a blocked connection. */
export const NETWORK_BLOCKED_CODE = 'ERR_GRADER_NETWORK_BLOCKED'

/** The code of a synthetic result for a test that was still running when its run was killed. */
export const RUN_TIMEOUT_CODE = 'GRADER_RUN_TIMEOUT'

/** The code of a synthetic result for a test that was running when its jest process crashed. */
export const RUN_CRASHED_CODE = 'GRADER_RUN_CRASHED'

const MESSAGE_LIMIT = 1500

/**
 * A failure message without stack frames, trimmed to a readable length.
 * @example cleanMessage('Error: boom\n    at f (src/a.ts:1:1)') // 'Error: boom'
 */
export function cleanMessage(message: string): string {
  const lines = message.split('\n').filter((line) => !/^\s+at /.test(line))
  const text = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text
}

/**
 * jest's `Expected: …` / `Received: …` lines of an assertion message, when it has them.
 * @example expectedAndActual('Expected: 6\nReceived: 7') // { expected: '6', actual: '7' }
 */
export function expectedAndActual(message: string): { expected: string | null; actual: string | null } {
  const expected = /^\s*Expected(?: [\w ]+)?: (.*)$/m.exec(message)?.[1] ?? null
  const actual = /^\s*Received(?: [\w ]+)?: (.*)$/m.exec(message)?.[1] ?? null
  return { expected, actual }
}

// The stub's class name, or its `code` as a matcher prints it (`"code": "NOT_IMPLEMENTED"`).
const NOT_IMPLEMENTED = /NotImplementedError(?:: (.*))?|"NOT_IMPLEMENTED"/
// What a starter stub's error says about itself: `not implemented: streamUsers (src/stream-users.ts)`.
const STUB_NAMED = /not implemented: ([^\n"]+? \([^)\n]+\))/

/**
 * The one-line "not implemented" message of a failure that a starter stub caused, naming the stub when its error
 * does (`not implemented: streamUsers (src/stream-users.ts)`).
 * @example notImplementedMessage('NotImplementedError: not implemented: seed (src/seed.ts)', 'not implemented: seed (src/seed.ts)') // 'not implemented: seed (src/seed.ts)'
 */
export function notImplementedMessage(raw: string, detail: string | undefined): string {
  const named = STUB_NAMED.exec(raw)?.[1] ?? (detail === undefined ? undefined : STUB_NAMED.exec(detail)?.[1])
  if (named !== undefined) return `not implemented: ${named}`
  const text = detail?.trim()
  if (text === undefined || text === '') return 'not implemented'
  return /^not implemented\b/i.test(text) ? text : `not implemented: ${text}`
}

/**
 * The outcome of an error that stopped a whole test file from running (it may be a starter's stub throwing at load).
 * @example classifyLoadError('NotImplementedError: Task 0: seed').notImplemented // true
 */
export function classifyLoadError(message: string, stack = ''): Classified {
  // jest keeps the error's class name in the stack only.
  const notImplemented = NOT_IMPLEMENTED.exec(message) ?? (/^NotImplementedError\b/m.test(stack) ? ['', message.split('\n')[0]] : null)
  if (notImplemented !== null) {
    return { outcome: 'fail', message: notImplementedMessage(`${message}\n${stack}`, notImplemented[1]), expected: null, actual: null, notImplemented: true, networkBlocked: false }
  }
  return { outcome: 'error', message: `The test file could not run: ${cleanMessage(message)}`, expected: null, actual: null, notImplemented: false, networkBlocked: false }
}

/**
 * Classifies one reported test: pass, fail (with expected/actual), timeout, not implemented, network blocked.
 * @example classifyTest(reportedTest).outcome // 'fail'
 */
export function classifyTest(test: ReportedTest): Classified {
  const none = { expected: null, actual: null, notImplemented: false, networkBlocked: false }
  if (test.status === 'passed') return { outcome: 'pass', message: null, ...none }
  if (test.status !== 'failed') return { outcome: 'skipped', message: `Not run (${test.status}).`, ...none }
  const raw = test.failureMessages[0] ?? test.failure?.message ?? 'The test failed.'
  const failure = test.failure
  if (failure?.code === RUN_TIMEOUT_CODE) return { outcome: 'timeout', message: failure.message, ...none }
  if (failure?.code === RUN_CRASHED_CODE) return { outcome: 'error', message: failure.message, ...none }
  if (failure?.timeout === true || /Exceeded timeout of [\d.]+\s*ms/.test(raw)) {
    const limit = /Exceeded timeout of ([\d.]+)\s*ms/.exec(raw)?.[1]
    return { outcome: 'timeout', message: `Timed out: the test did not finish within ${limit ?? 'the allowed'} ms.`, ...none }
  }
  const notImplemented = NOT_IMPLEMENTED.exec(raw) ?? (failure?.name === 'NotImplementedError' ? ['', (failure.message ?? '').split('\n')[0]] : null)
  if (notImplemented !== null) {
    return { outcome: 'fail', message: notImplementedMessage(`${raw}\n${failure?.message ?? ''}`, notImplemented[1]), ...none, notImplemented: true }
  }
  if (failure?.code === NETWORK_BLOCKED_CODE || raw.includes(NETWORK_BLOCKED_CODE) || raw.includes('blocked by the grader')) {
    const detail = /Network access is blocked[^\n]*/.exec(raw)?.[0]
    return { outcome: 'fail', message: detail ?? 'Network access is blocked during grading.', ...none, networkBlocked: true }
  }
  const message = cleanMessage(failure?.message !== null && failure?.message !== undefined && failure.matcher !== null ? failure.message : raw)
  const parsed = expectedAndActual(message)
  return {
    outcome: 'fail',
    message,
    expected: failure?.matcher?.expected ?? parsed.expected,
    actual: failure?.matcher?.actual ?? parsed.actual,
    notImplemented: false,
    networkBlocked: false,
  }
}
