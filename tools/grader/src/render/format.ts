import type { Outcome } from '../classify'
import type { GradedTask, GradedTest } from '../types'

/**
 * A number of points without trailing zeros.
 * @example points(1.5) // '1.5'
 */
export function points(value: number): string {
  return String(Math.round(value * 100) / 100)
}

/**
 * A whole percentage of `score` over `max`, `0%` when there is nothing to score.
 * @example percent(1, 4) // '25%'
 */
export function percent(score: number, max: number): string {
  return max === 0 ? '0%' : `${Math.round((score / max) * 100)}%`
}

/**
 * A message squeezed onto one line of at most `width` characters.
 * @example oneLine('a\n  b', 80) // 'a b'
 */
export function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat
}

/**
 * The line explaining why a task did not pass: the first failure's test and expected vs actual when known.
 * @example failureLine(task, 120) // 'multiplies two numbers above one: expected 6, received 7'
 */
export function failureLine(task: GradedTask, width: number): string | null {
  if (task.status === 'pass') return null
  const failure = task.first_failure
  if (task.message === 'not implemented') return 'not implemented'
  if (failure === null) return task.message === null ? null : oneLine(task.message, width)
  const test = failure.test.split(' › ').slice(1).join(' › ') || failure.test
  if (failure.expected !== null || failure.actual !== null) {
    return oneLine(`${test}: expected ${failure.expected ?? '?'}, received ${failure.actual ?? '?'}`, width)
  }
  const message = failure.message.split('\n').find((line) => line.trim() !== '') ?? failure.message
  return oneLine(`${test}: ${message}`, width)
}

/** The symbol the scoreboard and summary use for each outcome. */
export const SYMBOL: Record<Outcome, string> = { pass: '✔', fail: '✘', error: '⚠', timeout: '⏱' }

/** The emoji the Markdown summary uses for each outcome. */
export const EMOJI: Record<Outcome, string> = { pass: '✅', fail: '❌', error: '⚠️', timeout: '⏱️' }

/**
 * One failing test as the scoreboard lists it: its name below the task describe, then expected vs actual when
 * known, else the first line of its message.
 * @example testFailureLine(test, 120) // 'multiplies two numbers above one: expected 6, received 7'
 */
export function testFailureLine(test: GradedTest, width: number): string {
  const name = test.name.split(' › ').slice(1).join(' › ') || test.name
  const tag = test.outcome === 'fail' ? '' : `[${test.outcome}] `
  if (test.expected !== null || test.actual !== null) return oneLine(`${tag}${name}: expected ${test.expected ?? '?'}, received ${test.actual ?? '?'}`, width)
  const message = (test.message ?? test.outcome).split('\n').find((line) => line.trim() !== '') ?? test.outcome
  return oneLine(`${tag}${name}: ${message}`, width)
}
