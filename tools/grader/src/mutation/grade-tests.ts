import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import type { Outcome } from '../classify'
import type { CourseModule } from '../discover'
import { TaskMetadataError } from '../errors'
import { moduleLayout } from '../layout'
import { collectProvenance } from '../provenance'
import { taskIdOf } from '../task-metadata'
import type { TaskDefinition } from '../task-metadata'
import type { GradedModule, GradedTask, GradedTest, GradeReport } from '../types'
import { MUTATION_CONFIG, readMutationConfig } from './config'
import type { MutantDefinition, MutationConfig, TestDemand } from './config'
import type { MutationFileResult, MutationRun, MutationTestResult } from './run'
import { runMutationJest } from './run'

/** Options of {@link gradeTestSubmission}. */
export interface GradeTestSubmissionOptions {
  /** The repository root (provenance, relative paths in the report). */
  readonly root: string
  /** The learner's folder, in the module's layout (`test/utils.test.ts`, …); the module's own folder grades the reference. */
  readonly submissionDir: string
  /** Per-test timeout. @default 10_000 */
  readonly testTimeoutMs?: number
  /** Limit for the whole jest run. @default 300_000 */
  readonly timeoutMs?: number
  /** jest workers. @default os.availableParallelism(), at most 4 */
  readonly workers?: number
  /** jest's transform cache folder (a fresh one measures a cold run). @default jest's own */
  readonly cacheDirectory?: string
  /** `registry` (one test file per task, a module registry per mutant) or `file` (a test file per mutant). @default 'registry' */
  readonly isolation?: 'registry' | 'file'
  /** Grade only these task ids (the others get 0 and `not graded`). @default every task */
  readonly tasks?: readonly string[]
  /** Clock for `provenance.generated_at`. */
  readonly now?: () => Date
  /** Protections to leave out (the bench measures what each costs): 'pid-namespace', 'network-namespace', 'rlimits'. */
  readonly disable?: readonly string[]
}

/** One curated mutant's fate. */
export interface MutantOutcome {
  readonly id: string
  readonly task: string
  readonly file: string
  readonly when: string
  /** `killed`: a test of the task failed (or the file crashed); `survived`: every test passed; `not-run`: the task's own tests could not be trusted. */
  readonly status: 'killed' | 'survived' | 'not-run'
  /** The failing test that killed it, when one did. */
  readonly killedBy: string | null
}

/** One "how" demand checked on the run. */
export interface DemandOutcome {
  readonly task: string
  readonly minTests: number
  readonly tests: number
  readonly why: string
  readonly met: boolean
}

/** The mutation side of a task's grade. */
export interface TaskMutationGrade {
  readonly id: string
  /** Tests of the task found in the learner's files (on the provided code). */
  readonly tests: number
  readonly testsPassed: number
  readonly killed: number
  readonly mutants: number
  readonly demands: readonly DemandOutcome[]
  readonly share: number
  readonly threshold: number
  /** One line per surviving mutant or unmet demand: `your Task 3 tests still pass when memoize calls the method twice`. */
  readonly survivors: readonly string[]
}

/** What grading a test submission adds to `grade.json`. */
export interface MutationSummary {
  readonly engine: 'curated'
  readonly threshold: number
  readonly tasks: readonly TaskMutationGrade[]
  readonly mutants: readonly MutantOutcome[]
  readonly run: { readonly duration_ms: number; readonly timed_out: boolean; readonly test_files: number }
}

/** `grade.json` for a module whose deliverable is tests: the grader's report shape plus `mutation`. */
export type MutationGradeReport = GradeReport & { readonly mutation: MutationSummary }

const round = (value: number): number => Math.round(value * 100) / 100

// jest's failure messages carry colour codes even with FORCE_COLOR=0 in some setups.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g')

function fullName(test: MutationTestResult): string {
  return [...test.titles, test.title].join(' › ')
}

function taskOf(test: MutationTestResult): string | null {
  const top = test.titles[0]
  return top === undefined ? null : taskIdOf(top)
}

function firstLine(text: string | null): string {
  const cleaned = (text ?? '').replace(ANSI, '')
  const line = cleaned
    .split('\n')
    .map((part) => part.trim())
    .find((part) => part !== '')
  return line ?? 'failed'
}

/** jest's failure in one line: the matcher and what it saw (`Expected … Received …`), without the stack. */
function summary(text: string | null, max = 300): string {
  const lines = (text ?? '')
    .replace(ANSI, '')
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith('at '))
  const joined = lines.slice(0, 3).join(' · ') || 'failed'
  return joined.length > max ? `${joined.slice(0, max - 1)}…` : joined
}

const NOCK_BLOCKED = /Disallowed net connect for "?([^"/\s]+)/

/** The grader's own words for a test that tried the real network: from the guard's log, or nock's refusal. */
function networkMessage(run: MutationRun, file: string, test: MutationTestResult): string | null {
  const logged = run.blocked.find((entry) => entry.file === file && entry.name === [...test.titles, test.title].join(' '))
  if (logged !== undefined) return logged.message
  const host = NOCK_BLOCKED.exec(test.failure ?? '')?.[1]
  return host === undefined ? null : `Network access is blocked by the grader: the code tried to connect to ${host}. Tests run offline: mock fetch or use nock.`
}

function excerpt(text: string | null, max = 600): string | null {
  if (text === null) return null
  const cleaned = text.replace(ANSI, '').trim()
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned
}

function sha256(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex')
  } catch {
    return null
  }
}

/** The sentence of a surviving mutant, as the report shows it. */
export function survivorLine(mutant: Pick<MutantDefinition, 'task' | 'when'>): string {
  return `your Task ${mutant.task} tests still pass when ${mutant.when}`
}

/** The sentence of an unmet demand. */
export function demandLine(demand: DemandOutcome): string {
  return `Task ${demand.task} asks for ${demand.why}: ${demand.minTests} tests, your Task ${demand.task} has ${demand.tests}`
}

/** Whether `result` (a mutant's wrapper run) has a failing test of `task`, or could not run at all. */
function killer(result: MutationFileResult | undefined, task: string): { killed: boolean; by: string | null } {
  if (result === undefined) return { killed: true, by: 'the run stopped (timeout) while this mutant ran' }
  if (result.execError !== null) return { killed: true, by: `the test file crashed: ${firstLine(result.execError)}` }
  const failing = result.tests.find((test) => taskOf(test) === task && test.status === 'failed')
  return failing === undefined ? { killed: false, by: null } : { killed: true, by: fullName(failing) }
}

interface TaskContext {
  readonly task: TaskDefinition
  readonly position: number
  readonly files: readonly string[]
  readonly present: readonly string[]
  readonly mutants: readonly MutantDefinition[]
  readonly demands: readonly TestDemand[]
}

function gradeTask(
  module: CourseModule,
  context: TaskContext,
  config: MutationConfig,
  run: MutationRun,
  submissionDir: string,
  graded: boolean,
): { task: GradedTask; tests: GradedTest[]; mutation: TaskMutationGrade; outcomes: MutantOutcome[] } {
  const { task, position } = context
  const base = { module: module.name, id: task.id, task_id: position, title: task.title, kind: task.kind, max_score: task.points }
  const gradedTests: GradedTest[] = []
  const testRecord = (name: string, status: Outcome, message: string | null, file: string, code: string, duration: number | null): GradedTest => ({
    name,
    status: status === 'pass' ? 'pass' : status === 'fail' ? 'fail' : 'error',
    message,
    output: null,
    test_code: code,
    task_id: position,
    module: module.name,
    task: task.id,
    outcome: status,
    file,
    line: null,
    duration_ms: duration,
    expected: null,
    actual: null,
  })

  // The baseline: the learner's tests of this task, on the provided code.
  const baseline: { file: string; test: MutationTestResult }[] = []
  const crashed: { file: string; message: string }[] = []
  for (const file of context.present) {
    const result = run.files.get(join(submissionDir, file))
    if (result === undefined) {
      crashed.push({ file, message: run.timedOut ? 'the test run timed out before this file finished' : `jest did not run it${run.stderr === '' ? '' : `: ${firstLine(run.stderr)}`}` })
      continue
    }
    // A file without any test is not a crash: its tasks simply have no tests (reported as such below).
    if (result.execError !== null && !/must contain at least one test/.test(result.execError)) crashed.push({ file, message: firstLine(result.execError) })
    for (const test of result.tests) if (taskOf(test) === task.id) baseline.push({ file, test })
  }
  for (const { file, test } of baseline) {
    const passed = test.status === 'passed'
    const blocked = networkMessage(run, join(submissionDir, file), test)
    const message = passed ? null : [blocked, excerpt(test.failure)].filter((part) => part !== null).join('\n')
    gradedTests.push(testRecord(fullName(test), passed ? 'pass' : test.status === 'failed' ? 'fail' : 'error', message, file, 'on the provided code', test.duration))
  }
  const failing = baseline.filter(({ test }) => test.status !== 'passed')

  const demands: DemandOutcome[] = context.demands.map((demand) => ({ task: task.id, minTests: demand.minTests, tests: baseline.length, why: demand.why, met: baseline.length >= demand.minTests }))
  let blocker: { status: Outcome; message: string } | null = null
  if (!graded) blocker = { status: 'error', message: 'not graded (another task was asked for)' }
  else if (context.present.length === 0) blocker = { status: 'error', message: `Missing file: the submission has no ${context.files.join(', ')}.` }
  else if (crashed.length > 0) blocker = { status: 'error', message: crashed.map((entry) => `${entry.file} does not run: ${entry.message}`).join('; ') }
  else if (baseline.length === 0) {
    blocker = { status: 'fail', message: `no tests for Task ${task.id}: write them in ${context.files.join(', ')} under describe('Task ${task.id}: …')` }
  } else if (failing.length > 0) {
    const first = failing[0] as { file: string; test: MutationTestResult }
    const blocked = networkMessage(run, join(submissionDir, first.file), first.test)
    blocker = {
      status: 'fail',
      message: `your test "${fullName(first.test)}" fails on the provided (correct) code: ${blocked ?? summary(first.test.failure)}`,
    }
  }

  const outcomes: MutantOutcome[] = context.mutants.map((mutant) => {
    if (blocker !== null) return { id: mutant.id, task: task.id, file: mutant.file, when: mutant.when, status: 'not-run', killedBy: null }
    const verdict = killer(run.mutants.get(mutant.id), task.id)
    return { id: mutant.id, task: task.id, file: mutant.file, when: mutant.when, status: verdict.killed ? 'killed' : 'survived', killedBy: verdict.by }
  })
  for (const outcome of outcomes) {
    const status: Outcome = outcome.status === 'killed' ? 'pass' : outcome.status === 'survived' ? 'fail' : 'error'
    const message = outcome.status === 'survived' ? survivorLine(outcome) : outcome.status === 'not-run' ? (blocker?.message ?? null) : null
    gradedTests.push(testRecord(`Task ${task.id}: ${task.title} › mutant ${outcome.id}: ${outcome.when}`, status, message, outcome.file, `mutant ${outcome.id} of ${outcome.file}`, null))
  }
  for (const demand of demands) {
    gradedTests.push(
      testRecord(`Task ${task.id}: ${task.title} › at least ${demand.minTests} tests`, blocker !== null ? 'error' : demand.met ? 'pass' : 'fail', demand.met ? null : demandLine(demand), context.files[0] ?? '', `${demand.tests} tests`, null),
    )
  }

  const killed = outcomes.filter((outcome) => outcome.status === 'killed').length
  const met = demands.filter((demand) => demand.met).length
  const checks = outcomes.length + demands.length
  // The score is the share of mutants killed; a demand about how the tests are written only gates the pass.
  const share = blocker !== null || outcomes.length === 0 ? 0 : killed / outcomes.length
  const survivors = blocker !== null ? [] : [...outcomes.filter((outcome) => outcome.status === 'survived').map(survivorLine), ...demands.filter((demand) => !demand.met).map(demandLine)]
  const status: Outcome = blocker?.status ?? (share >= config.threshold && met === demands.length ? 'pass' : 'fail')
  const message = blocker?.message ?? (survivors.length === 0 ? null : survivors.join('\n'))
  const firstSurvivor = survivors[0]
  const gradedTask: GradedTask = {
    ...base,
    status,
    score: round(task.points * share),
    message,
    tests: { total: checks, passed: blocker !== null ? 0 : killed + met },
    duration_ms: Math.round(baseline.reduce((total, { test }) => total + (test.duration ?? 0), 0)),
    first_failure:
      blocker !== null
        ? { test: `Task ${task.id}: ${task.title}`, message: blocker.message, expected: null, actual: null }
        : firstSurvivor === undefined
          ? null
          : { test: `Task ${task.id}: ${task.title}`, message: firstSurvivor, expected: null, actual: null },
  }
  return {
    task: gradedTask,
    tests: gradedTests,
    mutation: {
      id: task.id,
      tests: baseline.length,
      testsPassed: baseline.length - failing.length,
      killed,
      mutants: outcomes.length,
      demands,
      share: round(share),
      threshold: config.threshold,
      survivors,
    },
    outcomes,
  }
}

/**
 * Grades a submission whose deliverable is **tests** (unittests-0x03): the learner's test files run on the provided
 * code (they must pass) and on each of the module's curated mutants (`mutants.json`; each task's tests must fail on
 * every mutant of the task), all in one jest run with the network blocked. A task scores
 * `points × mutants killed / mutants` and passes at `threshold` with every demand met; a task whose tests fail
 * on the provided code scores 0 with the failing test's message. The result is a `grade.json` (GradeReport) with a
 * `mutation` section: per task the share killed and one line per surviving mutant.
 * @example const report = await gradeTestSubmission(findModule(discoverModules(root), 'unittests-0x03', root), { root, submissionDir: '../my-tests' })
 */
export async function gradeTestSubmission(module: CourseModule, options: GradeTestSubmissionOptions): Promise<MutationGradeReport> {
  const started = Date.now()
  const manifest = module.manifest
  if (manifest === null) throw new TaskMetadataError(`${module.name}: ${module.manifestError ?? 'tasks.json is missing'}`)
  const config = readMutationConfig(module.dir)
  const taskIds = new Set(manifest.tasks.map((task) => task.id))
  for (const entry of [...config.mutants, ...config.demands]) {
    if (!taskIds.has(entry.task)) throw new TaskMetadataError(`${module.name}/mutants.json names Task ${entry.task}, which tasks.json does not declare.`)
  }
  const submissionDir = resolve(options.submissionDir)
  const only = options.tasks === undefined ? null : new Set(options.tasks)
  const contexts: TaskContext[] = manifest.tasks.map((task, index) => ({
    task,
    position: index + 1,
    files: task.files,
    present: task.files.filter((file) => existsSync(join(submissionDir, file))),
    mutants: config.mutants.filter((mutant) => mutant.task === task.id),
    demands: config.demands.filter((demand) => demand.task === task.id),
  }))
  const learnerFiles = [...new Set(contexts.flatMap((context) => context.present))]
  const runs = config.mutants.flatMap((mutant) => {
    const context = contexts.find((candidate) => candidate.task.id === mutant.task) as TaskContext
    return context.present.length === 0 || (only !== null && !only.has(context.task.id)) ? [] : [{ mutant, files: context.present }]
  })
  // The run's fresh copy: the provided code and fixtures (not the package's own tests), the mutated files, the config.
  const learner = new Set(manifest.tasks.flatMap((task) => task.files))
  const moduleFiles = [
    ...new Set([
      ...moduleLayout(module).provided.filter((file) => !learner.has(file) && !/\.test\.[cm]?[jt]sx?$/.test(file)),
      ...config.mutants.map((mutant) => mutant.file),
      ...['package.json', 'tsconfig.json', 'tasks.json', MUTATION_CONFIG].filter((file) => existsSync(join(module.dir, file))),
    ]),
  ]
  const run = await runMutationJest({
    moduleDir: module.dir,
    moduleFiles,
    submissionDir,
    learnerFiles,
    runs,
    ...(options.testTimeoutMs === undefined ? {} : { testTimeoutMs: options.testTimeoutMs }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.cacheDirectory === undefined ? {} : { cacheDirectory: options.cacheDirectory }),
    ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
    ...(options.disable === undefined ? {} : { disable: options.disable }),
  })

  const graded = contexts.map((context) => gradeTask(module, context, config, run, submissionDir, only === null || only.has(context.task.id)))
  const tasks = graded.map((entry) => entry.task)
  const tests = graded.flatMap((entry) => entry.tests)
  const score = round(tasks.reduce((total, task) => total + task.score, 0))
  const maxScore = round(tasks.reduce((total, task) => total + task.max_score, 0))
  const mandatory = tasks.filter((task) => task.kind === 'mandatory')
  const allError = tasks.every((task) => task.status === 'error')
  const moduleStatus: GradedModule['status'] = allError ? 'error' : tasks.every((task) => task.status === 'pass') ? 'pass' : 'fail'
  const durationMs = Date.now() - started
  const gradedModule: GradedModule = {
    name: module.name,
    title: manifest.title,
    package: module.packageName,
    dir: module.relativeDir,
    status: moduleStatus,
    score,
    max_score: maxScore,
    mandatory: { score: round(mandatory.reduce((total, task) => total + task.score, 0)), max_score: round(mandatory.reduce((total, task) => total + task.max_score, 0)) },
    message: allError ? (tasks[0]?.message ?? null) : null,
    problems: [],
    run: { mode: 'submission', replayed_from: null, turbo_hash: null, timed_out: run.timedOut, duration_ms: run.durationMs },
    tasks,
  }
  const shown = relative(options.root, submissionDir)
  const provenance = collectProvenance([{ module, analyses: [], report: null }], {
    root: options.root,
    submission: {
      dir: shown.startsWith('..') ? submissionDir : shown || '.',
      files: learnerFiles.map((file) => ({ path: file, sha256: sha256(join(submissionDir, file)) })),
    },
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  return {
    version: 3,
    status: moduleStatus,
    message: gradedModule.message,
    tests,
    score,
    max_score: maxScore,
    tasks,
    modules: [gradedModule],
    duration_ms: durationMs,
    provenance: {
      ...provenance,
      protections: run.protections,
      test_files: [...new Set(config.mutants.map((mutant) => mutant.file))].map((file) => ({ module: module.name, path: `${module.relativeDir}/${file}`, sha256: sha256(join(module.dir, file)) })),
    },
    mutation: {
      engine: 'curated',
      threshold: config.threshold,
      tasks: graded.map((entry) => entry.mutation),
      mutants: graded.flatMap((entry) => entry.outcomes),
      run: { duration_ms: run.durationMs, timed_out: run.timedOut, test_files: run.files.size },
    },
  }
}
