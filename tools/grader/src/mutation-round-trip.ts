// Wiring of mutation grading (src/mutation/, for modules whose learners write tests: unittests-0x03) into the
// round trip: the starter (no test files) grades 0, the reference's own test files and solutions/alternative/ full.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CourseModule } from './discover'
import { gradeTestSubmission } from './mutation'
import type { RoundTrip, RoundTripOptions } from './round-trip'
import { exportStarter } from './starter/export-starter'
import type { GradeReport } from './types'

const ALTERNATIVE = join('solutions', 'alternative')

function score(report: GradeReport): string {
  return `${report.score}/${report.max_score}`
}

function fullMarks(label: string, report: GradeReport): string[] {
  const problems: string[] = []
  if (report.score !== report.max_score) problems.push(`the ${label} scores ${score(report)}`)
  for (const task of report.tasks) if (task.status !== 'pass') problems.push(`${label} Task ${task.id} is ${task.status}: ${task.message ?? ''}`)
  return problems
}

/**
 * The round trip of a mutation-graded module, on its exported starter: the starter (the implementation and fixtures,
 * no tests) grades 0 with every task "Missing file", the module's own learner test files and `solutions/alternative/`
 * kill every mutant (full marks). Runs one after the other (each jest run uses the workers itself).
 * @example const { problems } = await mutationRoundTrip(findModule(modules, 'unittests-0x03', root), { root })
 */
export async function mutationRoundTrip(module: CourseModule, options: RoundTripOptions): Promise<RoundTrip> {
  const progress = options.onProgress ?? (() => undefined)
  const temp = mkdtempSync(join(tmpdir(), 'alx-mutation-round-trip-'))
  const grade = async (label: string, submissionDir: string): Promise<GradeReport> => {
    progress(`${module.name}: grading the ${label}…`)
    const started = Date.now()
    const report = await gradeTestSubmission(module, {
      root: options.root,
      submissionDir,
      ...(options.testTimeoutMs === undefined ? {} : { testTimeoutMs: options.testTimeoutMs }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
    })
    progress(`${module.name}: ${label} ${score(report)} (${Math.round((Date.now() - started) / 100) / 10} s)`)
    return report
  }
  try {
    const starterDir = join(temp, module.name)
    exportStarter(module, starterDir, { vendor: false })
    const starter = await grade('starter', starterDir)
    const reference = await grade('reference', module.dir)
    const alternativeDir = join(module.dir, ALTERNATIVE)
    const alternative = existsSync(alternativeDir) ? await grade('alternative', alternativeDir) : null
    const problems: string[] = []
    if (starter.score !== 0) problems.push(`the starter scores ${score(starter)}, not 0`)
    for (const task of starter.tasks) {
      if (!(task.message ?? '').startsWith('Missing file')) problems.push(`starter Task ${task.id} is ${task.status} (${task.message ?? 'no message'}), not "Missing file" (the starter must hold no test of a task)`)
    }
    problems.push(...fullMarks('reference', reference))
    if (alternative === null) problems.push(`no ${ALTERNATIVE}/: write a second test suite from tasks.md alone, laid out like a submission`)
    else problems.push(...fullMarks('alternative', alternative))
    return { module: module.name, starter, reference, alternative, alone: [], problems }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}
