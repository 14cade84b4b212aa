import { styleText } from 'node:util'
import type { Outcome } from '../classify'
import type { GradeReport } from '../types'
import { SYMBOL, failureLine, oneLine, percent, points, testFailureLine } from './format'

/** Options of {@link renderScoreboard}. */
export interface ScoreboardOptions {
  /** Colour the output (a terminal). @default false */
  readonly color?: boolean
  /** Line width for messages. @default 100 */
  readonly width?: number
  /** Every failing test with its whole message and output, not one line each. @default false */
  readonly verbose?: boolean
  /** Failing tests listed per task in the compact form. @default 8 */
  readonly maxFailures?: number
}

const COLOR: Record<Outcome, 'green' | 'red' | 'yellow' | 'magenta'> = { pass: 'green', fail: 'red', error: 'yellow', timeout: 'magenta' }

/**
 * The terminal scoreboard: module → task → pass/fail/error/timeout with points and the first failure (expected vs
 * actual), metadata problems, totals per module and overall.
 * @example process.stdout.write(renderScoreboard(report, { color: process.stdout.isTTY }))
 */
export function renderScoreboard(report: GradeReport, options: ScoreboardOptions = {}): string {
  const width = options.width ?? 100
  const paint = (color: Parameters<typeof styleText>[0], text: string): string => (options.color === true ? styleText(color, text) : text)
  const lines: string[] = []
  for (const module of report.modules) {
    const replay = module.run.replayed_from === null ? '' : paint('dim', ` (replayed from ${module.run.replayed_from} cache)`)
    lines.push(
      `${paint('bold', module.name)}  ${module.title}  ${paint('bold', `${points(module.score)}/${points(module.max_score)}`)} ${paint(module.status === 'pass' ? 'green' : 'red', module.status)}${replay}`,
    )
    const titleWidth = Math.max(10, ...module.tasks.map((task) => `Task ${task.id}  ${task.title}`.length))
    for (const task of module.tasks) {
      const label = `Task ${task.id}  ${task.title}`.padEnd(titleWidth)
      const status = paint(COLOR[task.status], `${SYMBOL[task.status]} ${task.status.padEnd(7)}`)
      const score = `${points(task.score)}/${points(task.max_score)}`.padStart(7)
      const tests = task.tests.total === 0 ? '' : `  ${task.tests.passed}/${task.tests.total} tests`
      const kind = task.kind === 'advanced' ? paint('dim', '  advanced') : ''
      lines.push(`  ${status} ${label} ${score}${tests}${kind}`)
      const failing = report.tests.filter((test) => test.module === module.name && test.task === task.id && test.outcome !== 'pass')
      const stubbed = (task.message ?? '').startsWith('not implemented')
      // One cause for all (does not compile, missing file, the run could not start): say it once.
      const oneCause = failing.length > 1 && failing.every((test) => test.expected === null && test.actual === null && test.message === failing[0]?.message)
      if (failing.length === 0 || stubbed || oneCause) {
        const why = failureLine(task, width)
        if (why !== null) lines.push(`      ${paint('dim', '›')} ${stubbed ? oneLine(task.message ?? 'not implemented', width) : why}`)
        // --verbose still lists a stubbed task's tests: how each failed once the stub threw.
        if (!(stubbed && options.verbose === true && failing.length > 0)) continue
      }
      const limit = options.verbose === true ? failing.length : (options.maxFailures ?? 8)
      for (const test of failing.slice(0, limit)) {
        lines.push(`      ${paint('dim', '›')} ${testFailureLine(test, width)}`)
        if (options.verbose === true) {
          const detail = [test.message ?? '', test.output === null ? '' : `output:\n${test.output}`].join('\n').trim()
          for (const line of detail.split('\n')) lines.push(`          ${paint('dim', line)}`)
        }
      }
      if (failing.length > limit) lines.push(`      ${paint('dim', `… and ${failing.length - limit} more failing tests (--verbose lists them all)`)}`)
    }
    for (const problem of module.problems) lines.push(`  ${paint('yellow', '! metadata')} ${oneLine(problem, width)}`)
    if (module.tasks.length === 0 && module.message !== null) lines.push(`  ${paint('yellow', '⚠ error')} ${oneLine(module.message, width)}`)
    lines.push('')
  }
  const count = (outcome: Outcome): number => report.tasks.filter((task) => task.status === outcome).length
  const counts = (['pass', 'fail', 'error', 'timeout'] as const).map((outcome) => `${count(outcome)} ${outcome}`).join(', ')
  const replayed = report.modules.filter((module) => module.run.replayed_from !== null).length
  lines.push(
    `${paint('bold', 'Total')}  ${paint('bold', `${points(report.score)}/${points(report.max_score)} points (${percent(report.score, report.max_score)})`)}  ·  ${report.modules.length} modules, ${report.tasks.length} tasks: ${counts}${replayed > 0 ? `  ·  ${replayed} replayed from cache` : ''}`,
  )
  if (report.message !== null) lines.push(oneLine(report.message, width * 2))
  return `${lines.join('\n')}\n`
}
