import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CourseModule } from './discover'
import type { GradeSubmissionOptions } from './run-grade'
import { gradeSubmission } from './run-grade'
import { exportStarter } from './starter/export-starter'
import type { GradeReport } from './types'

/** What {@link checkRoundTrip} found for one module. */
export interface RoundTrip {
  readonly module: string
  readonly starter: GradeReport
  readonly reference: GradeReport
  /** Empty when the starter grades 0 with "not implemented" on every task and the reference grades full marks. */
  readonly problems: readonly string[]
}

/**
 * The module authors' check (`pnpm grade <module> --round-trip`): export the starter to a temp folder, grade it
 * (every task must be `not implemented`, score 0), then grade the reference itself (full marks, no problems).
 * @example const { problems } = await checkRoundTrip(module, { root: '/repo' })
 */
export async function checkRoundTrip(module: CourseModule, options: Omit<GradeSubmissionOptions, 'submissionDir'>): Promise<RoundTrip> {
  const temp = mkdtempSync(join(tmpdir(), 'alx-round-trip-'))
  try {
    const starterDir = join(temp, module.name)
    exportStarter(module, starterDir)
    const starter = await gradeSubmission(module, { ...options, submissionDir: starterDir })
    const reference = await gradeSubmission(module, { ...options, submissionDir: module.dir })
    const problems: string[] = []
    if (starter.score !== 0) problems.push(`the starter scores ${starter.score}, not 0`)
    for (const task of starter.tasks) {
      if (task.message !== 'not implemented') problems.push(`starter Task ${task.id} is ${task.status} (${task.message ?? 'no message'}), not "not implemented"`)
    }
    if (reference.score !== reference.max_score) problems.push(`the reference scores ${reference.score}/${reference.max_score}`)
    for (const task of reference.tasks) if (task.status !== 'pass') problems.push(`reference Task ${task.id} is ${task.status}: ${task.message ?? ''}`)
    for (const problem of reference.modules[0]?.problems ?? []) problems.push(`metadata: ${problem}`)
    return { module: module.name, starter, reference, problems }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}
