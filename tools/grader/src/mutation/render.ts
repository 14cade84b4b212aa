import type { MutationGradeReport } from './grade-tests'

const SYMBOL = { pass: '✓', fail: '✗', error: '!', timeout: '⏱' } as const

function points(value: number): string {
  return String(Math.round(value * 100) / 100)
}

/**
 * The terminal report of a test submission: per task its status, points, mutants killed, and one line per surviving
 * mutant or unmet demand (or why the task could not be graded).
 * @example process.stdout.write(renderMutationReport(report))
 */
export function renderMutationReport(report: MutationGradeReport): string {
  const lines: string[] = []
  for (const module of report.modules) {
    lines.push(`${module.name}  ${module.title}  ${points(module.score)}/${points(module.max_score)} ${module.status}  (your tests, graded by the mutants they kill)`)
    for (const task of module.tasks) {
      const mutation = report.mutation.tasks.find((entry) => entry.id === task.id)
      const killed = mutation === undefined ? '' : `  ${mutation.killed}/${mutation.mutants} mutants killed, ${mutation.tests} ${mutation.tests === 1 ? 'test' : 'tests'}`
      lines.push(`  ${SYMBOL[task.status]} ${task.status.padEnd(7)} Task ${task.id}  ${task.title.padEnd(38)} ${`${points(task.score)}/${points(task.max_score)}`.padStart(6)}${killed}`)
      const why = mutation !== undefined && mutation.survivors.length > 0 ? mutation.survivors : task.message === null ? [] : [task.message]
      for (const line of why) lines.push(`      › ${line}`)
    }
  }
  const threshold = Math.round(report.mutation.threshold * 100)
  lines.push('')
  lines.push(`${points(report.score)}/${points(report.max_score)}  ·  a task scores the share of its mutants its tests kill and passes at ≥ ${threshold}% with its demands met  ·  ${(report.duration_ms / 1000).toFixed(1)} s`)
  return `${lines.join('\n')}\n`
}
