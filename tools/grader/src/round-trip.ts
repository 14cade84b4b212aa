import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CourseModule } from './discover'
import { moduleLayout } from './layout'
import { isMutationModule } from './mutation'
import { mutationRoundTrip } from './mutation-round-trip'
import type { GradeSubmissionOptions } from './run-grade'
import { gradeSubmission } from './run-grade'
import { exportStarter } from './starter/export-starter'
import { isMigrated } from './task-metadata'
import type { GradeReport } from './types'
import { prepareStarterBase, submissionOverlay } from './workdir'

/** Where a module keeps the second solution written from its task statements. */
export const ALTERNATIVE_DIR = 'solutions/alternative'

/** One task graded alone: that task's reference entry points, stubs for the rest. */
export interface TaskAlone {
  readonly task: string
  readonly report: GradeReport
  /** Empty when exactly that task gets its points and every other task 0. */
  readonly problems: readonly string[]
}

/** What {@link checkRoundTrip} found for one module. */
export interface RoundTrip {
  readonly module: string
  readonly starter: GradeReport
  readonly reference: GradeReport
  /** `null` for a module without graded task tests, or without `solutions/alternative/` (then a problem says so). */
  readonly alternative: GradeReport | null
  /** Empty for a module without graded task tests. */
  readonly alone: readonly TaskAlone[]
  /** Empty when every check passed. */
  readonly problems: readonly string[]
}

/** Options of {@link checkRoundTrip}. */
export interface RoundTripOptions extends Omit<GradeSubmissionOptions, 'submissionDir'> {
  /** jest runs at the same time (each runs in band). @default 2, or 1 for a module whose jest config says maxWorkers: 1 */
  readonly concurrency?: number
  /** Progress lines. */
  readonly onProgress?: (line: string) => void
}

function score(report: GradeReport): string {
  return `${report.score}/${report.max_score}`
}

async function pool<T>(jobs: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let index = next++; index < jobs.length; index = next++) results[index] = await (jobs[index] as () => Promise<T>)()
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker))
  return results
}

function defaultConcurrency(module: CourseModule): number {
  try {
    const pkg = JSON.parse(readFileSync(join(module.dir, 'package.json'), 'utf8')) as { jest?: { maxWorkers?: unknown } }
    if (pkg.jest?.maxWorkers === 1 || pkg.jest?.maxWorkers === '1') return 1
  } catch {
    // No package.json: the default.
  }
  return Math.max(1, Math.min(2, availableParallelism()))
}

function starterProblems(starter: GradeReport): string[] {
  const problems: string[] = []
  if (starter.score !== 0) problems.push(`the starter scores ${score(starter)}, not 0`)
  for (const task of starter.tasks) {
    if (!(task.message ?? '').startsWith('not implemented')) problems.push(`starter Task ${task.id} is ${task.status} (${task.message ?? 'no message'}), not "not implemented"`)
  }
  return problems
}

function fullMarks(label: string, report: GradeReport): string[] {
  const problems: string[] = []
  if (report.score !== report.max_score) problems.push(`the ${label} scores ${score(report)}`)
  for (const task of report.tasks) if (task.status !== 'pass') problems.push(`${label} Task ${task.id} is ${task.status}: ${task.message ?? ''}`)
  return problems
}

/**
 * The module authors' check (`pnpm grade <module> --round-trip`). For a module with graded task tests (issue 12), on
 * fresh copies of its starter: the starter grades 0 ("not implemented" on every task), the reference and
 * `solutions/alternative/` full marks, and each task alone (its reference entry points, stubs for the rest) exactly
 * that task's points. For an older module: the starter grades 0 and the reference (in place) full marks.
 * @example const { problems } = await checkRoundTrip(module, { root: '/repo' })
 */
export async function checkRoundTrip(module: CourseModule, options: RoundTripOptions): Promise<RoundTrip> {
  if (isMutationModule(module.dir)) return mutationRoundTrip(module, options)
  if (!isMigrated(module.manifest)) return legacyRoundTrip(module, options)
  const manifest = module.manifest
  if (manifest === null) throw new Error('unreachable: a migrated module has a manifest')
  const base = prepareStarterBase(module)
  const { onProgress, concurrency, ...gradeOptions } = options
  const progress = onProgress ?? (() => undefined)
  try {
    const layout = moduleLayout(module)
    const alternativeDir = join(module.dir, ALTERNATIVE_DIR)
    const hasAlternative = existsSync(alternativeDir)
    const grade = (label: string, overlay: ReadonlyMap<string, string>, typecheck: boolean, submissionDir: string) => async (): Promise<GradeReport> => {
      progress(`${module.name}: grading the ${label}…`)
      const started = Date.now()
      const report = await gradeSubmission(module, { ...gradeOptions, submissionDir, base, overlay, typecheck: typecheck && options.typecheck !== false })
      progress(`${module.name}: ${label} ${score(report)} (${Math.round((Date.now() - started) / 100) / 10} s)`)
      return report
    }
    const jobs: (() => Promise<GradeReport>)[] = [
      grade('reference', submissionOverlay(module, module.dir), true, module.dir),
      ...(hasAlternative ? [grade('alternative', submissionOverlay(module, alternativeDir), true, alternativeDir)] : []),
      grade('starter', new Map(), false, base.dir),
      ...manifest.tasks.map((task) => grade(`Task ${task.id} alone`, submissionOverlay(module, module.dir, task.files), false, module.dir)),
    ]
    const reports = await pool(jobs, concurrency ?? defaultConcurrency(module))
    const [reference, ...rest] = reports as [GradeReport, ...GradeReport[]]
    const alternative = hasAlternative ? (rest.shift() ?? null) : null
    const starter = rest.shift() as GradeReport
    const problems: string[] = [...starterProblems(starter), ...fullMarks('reference', reference)]
    for (const problem of reference.modules[0]?.problems ?? []) problems.push(`metadata: ${problem}`)
    if (alternative === null) problems.push(`no ${ALTERNATIVE_DIR}/: write a second solution of every task from tasks.md alone, laid out like a submission (${ALTERNATIVE_DIR}/src/…)`)
    else {
      problems.push(...fullMarks('alternative', alternative))
      const missing = layout.entryPoints.filter((file) => !existsSync(join(alternativeDir, file)))
      if (missing.length > 0) problems.push(`the alternative lacks ${missing.join(', ')}`)
    }
    const alone = manifest.tasks.map((task, index): TaskAlone => {
      const report = rest[index] as GradeReport
      const own: string[] = []
      for (const graded of report.tasks) {
        if (graded.id === task.id) {
          if (graded.score !== graded.max_score) own.push(`Task ${task.id} alone: Task ${task.id} scores ${graded.score}/${graded.max_score} (${graded.message ?? graded.status})`)
        } else if (graded.score !== 0) {
          const shared = task.files.filter((file) => manifest.tasks.find((other) => other.id === graded.id)?.files.includes(file))
          own.push(`Task ${task.id} alone: Task ${graded.id} also scores ${graded.score}/${graded.max_score}${shared.length > 0 ? ` (they share ${shared.join(', ')})` : ''}`)
        }
      }
      return { task: task.id, report, problems: own }
    })
    for (const each of alone) problems.push(...each.problems)
    return { module: module.name, starter, reference, alternative, alone, problems }
  } finally {
    base.dispose()
  }
}

/**
 * The round trip's summary lines: `starter 0/6 · reference 6/6 · alternative 6/6` and `each task alone: ok (6/6)`.
 * @example renderRoundTrip(result) // 'generators-0x00: starter 0/6 · reference 6/6 · alternative 6/6\n…'
 */
export function renderRoundTrip(result: RoundTrip): string {
  const parts = [`starter ${score(result.starter)}`, `reference ${score(result.reference)}`]
  if (result.alternative !== null) parts.push(`alternative ${score(result.alternative)}`)
  else if (result.alone.length > 0) parts.push('alternative missing')
  const lines = [`${result.module}: ${parts.join(' · ')}`]
  if (result.alone.length > 0) {
    const good = result.alone.filter((each) => each.problems.length === 0).length
    lines.push(`each task alone: ${good === result.alone.length ? 'ok' : 'FAILED'} (${good}/${result.alone.length})`)
  }
  lines.push(result.problems.length === 0 ? 'round trip: ok' : 'round trip: FAILED')
  for (const problem of result.problems) lines.push(`  - ${problem}`)
  return `${lines.join('\n')}\n`
}

async function legacyRoundTrip(module: CourseModule, options: RoundTripOptions): Promise<RoundTrip> {
  const temp = mkdtempSync(join(tmpdir(), 'alx-round-trip-'))
  try {
    const starterDir = join(temp, module.name)
    exportStarter(module, starterDir, { vendor: false })
    const { onProgress: _progress, concurrency: _concurrency, ...gradeOptions } = options
    const starter = await gradeSubmission(module, { ...gradeOptions, submissionDir: starterDir })
    const reference = await gradeSubmission(module, { ...gradeOptions, submissionDir: module.dir })
    const problems = [...starterProblems(starter), ...fullMarks('reference', reference)]
    for (const problem of reference.modules[0]?.problems ?? []) problems.push(`metadata: ${problem}`)
    return { module: module.name, starter, reference, alternative: null, alone: [], problems }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}
