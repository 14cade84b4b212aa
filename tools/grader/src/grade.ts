import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Classified, Outcome } from './classify'
import { classifyLoadError, classifyTest } from './classify'
import type { CourseModule } from './discover'
import type { JestReport } from './jest-report'
import { checkImports } from './imports'
import { moduleLayout } from './layout'
import { loadTimeStubCalls } from './starter/load-time'
import { checkDocs, readTaskStatements } from './tasks-md'
import type { TaskDefinition, TaskManifest } from './task-metadata'
import { isMigrated, taskIdOf } from './task-metadata'
import type { StaticTest, TestFileAnalysis } from './test-files'
import { UNFILLED_PLACEHOLDER, matchesStaticTest } from './test-files'
import type { FirstFailure, GradedModule, GradedTask, GradedTest, GradeReport, ModuleRun, Provenance } from './types'

/** A compiler diagnostic, located in a module file (relative path). */
export interface CompileError {
  readonly file: string
  readonly line: number | null
  readonly message: string
}

/** Everything a run found out about one module, besides the test results themselves. */
export interface RunFacts {
  readonly report: JestReport | null
  readonly run: ModuleRun
  /** Type or syntax errors, each located in a file. */
  readonly compileErrors: readonly CompileError[]
  /** Compilation failed in a way no file could be blamed for (the whole module gets `error`). */
  readonly compileFailure: string | null
  /** The tests could not run at all (jest did not start, no results were written). */
  readonly runError: string | null
  /** Task files the submission lacks. */
  readonly missingFiles: readonly string[]
  /** Task files that are symbolic links in the submission: refused, never followed. */
  readonly refusedFiles?: readonly string[]
  /** Captured console output per test: key `<file>\u0000<describe titles and title joined by spaces>`. */
  readonly outputs: ReadonlyMap<string, string>
  /** The first blocked network connection per test (same keys as `outputs`): the message to show. */
  readonly blockedConnections?: ReadonlyMap<string, string>
  /**
   * The starter stubs that threw during each test (same keys as `outputs`), as `streamUsers (src/stream-users.ts)`:
   * a failed test that reached one is "not implemented" even when the code caught the stub's error.
   */
  readonly notImplementedStubs?: ReadonlyMap<string, readonly string[]>
  /** The whole-run limit, for the message of tests a stopped run never reached. */
  readonly timeoutMs: number | null
  /**
   * Submission mode: what the grader's checks found forged or changed (a matcher overridden, an official test file
   * rewritten, a test reported twice or never, results that did not come through the grader's channel). Every task is
   * then `error` with `tampering detected: …`.
   */
  readonly tampering?: string | null
}

const OUTPUT_LIMIT = 500

/**
 * A test's classification with what the run's logs add. A failure during which starter stubs threw is "not
 * implemented: <stub> (<file>)" even when the code caught the error and the test failed on an assertion (the
 * assertion follows on the next lines, for --verbose); else a blocked network connection explains a failure. Only a
 * failure is ever relabelled, so a forged log can never turn a test into a pass.
 * @example withRunLogs(failed, ['seed (src/seed.ts)'], undefined).message // 'not implemented: seed (src/seed.ts)\n\nThe test then failed: …'
 */
export function withRunLogs(classified: Classified, stubs: readonly string[] | undefined, blocked: string | undefined): Classified {
  if (classified.outcome !== 'fail') return classified
  if (stubs !== undefined && stubs.length > 0 && !classified.notImplemented) {
    const detail = classified.message === null ? '' : `\n\nThe test then failed: ${classified.message}`
    return { ...classified, message: `not implemented: ${stubs.join(', ')}${detail}`, expected: null, actual: null, notImplemented: true, networkBlocked: false }
  }
  return blocked === undefined ? classified : { ...classified, message: blocked, expected: null, actual: null, networkBlocked: true }
}
const TRUNCATED = '\n[output truncated to 500 characters]'

/**
 * Exercism's rule for `output`: at most 500 characters, saying so when cut.
 * @example truncateOutput('x'.repeat(600)).length // 500
 */
export function truncateOutput(output: string): string {
  return output.length <= OUTPUT_LIMIT ? output : output.slice(0, OUTPUT_LIMIT - TRUNCATED.length) + TRUNCATED
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

interface Entry {
  readonly file: string
  readonly ancestorTitles: readonly string[]
  readonly title: string
  readonly classified: Classified
  readonly durationMs: number | null
  readonly found: StaticTest | null
}

const nameOf = (ancestorTitles: readonly string[], title: string): string => [...ancestorTitles, title].join(' › ')

function synthesize(test: StaticTest, classified: Classified): Entry {
  return { file: test.file, ancestorTitles: test.describePath, title: test.title, classified, durationMs: null, found: test }
}

function plain(outcome: Outcome, message: string): Classified {
  return { outcome, message, expected: null, actual: null, notImplemented: false, networkBlocked: false }
}

function seconds(ms: number | null): string {
  return ms === null ? 'the time limit' : `${Math.round(ms / 100) / 10} s`
}

function collectEntries(analyses: readonly TestFileAnalysis[], facts: RunFacts): { entries: Entry[]; loadErrors: string[] } {
  const entries: Entry[] = []
  const loadErrors: string[] = []
  const staticByFile = new Map(analyses.map((analysis) => [analysis.file, analysis.tests.filter((test) => !test.skipped)]))
  const report = facts.report
  const stopped = (test: StaticTest): Classified => {
    if (!facts.run.timed_out) return plain('error', `Not run: ${facts.runError ?? 'the test run ended before reaching this test.'}`)
    const running = report?.running
    const isRunning =
      running !== null && running !== undefined && running.file === test.file && matchesStaticTest(test, running.ancestorTitles, running.title)
    return isRunning
      ? plain('timeout', `Timed out: the test was still running when the run was stopped after ${seconds(facts.timeoutMs)} (an endless loop?).`)
      : plain('timeout', `Not run: the test run was stopped after ${seconds(facts.timeoutMs)} before reaching this test.`)
  }
  for (const file of report?.files ?? []) {
    const statics = staticByFile.get(file.path) ?? []
    if (file.execError !== null && file.tests.length === 0) {
      const classified = classifyLoadError(file.execError.message, file.execError.stack)
      if (statics.length === 0) loadErrors.push(`${file.path}: ${classified.message ?? ''}`)
      for (const test of statics) entries.push(synthesize(test, classified))
      continue
    }
    const matched = new Set<StaticTest>()
    for (const test of file.tests) {
      const found = statics.find((candidate) => !matched.has(candidate) && matchesStaticTest(candidate, test.ancestorTitles, test.title)) ??
        statics.find((candidate) => matchesStaticTest(candidate, test.ancestorTitles, test.title)) ??
        null
      if (found !== null) matched.add(found)
      entries.push({ file: file.path, ancestorTitles: test.ancestorTitles, title: test.title, classified: classifyTest(test), durationMs: test.durationMs, found })
    }
    if (file.partial === true) {
      for (const test of statics) if (!matched.has(test)) entries.push(synthesize(test, stopped(test)))
    }
  }
  const reported = new Set((report?.files ?? []).map((file) => file.path))
  for (const [file, statics] of staticByFile) {
    if (reported.has(file)) continue
    if (report === null) {
      const classified = facts.run.timed_out
        ? plain('timeout', `Not run: the test run was stopped after ${seconds(facts.timeoutMs)} before any result was written.`)
        : plain('error', facts.runError ?? 'The tests did not run: no results were written.')
      for (const test of statics) entries.push(synthesize(test, classified))
    } else if (!report.complete) {
      for (const test of statics) entries.push(synthesize(test, stopped(test)))
    }
  }
  return { entries, loadErrors }
}

/**
 * The metadata check: every declared task has a test, every test belongs to a declared task, task files exist,
 * nothing is skipped, and the README lists every task. Returns one sentence per problem.
 * @example checkMetadata(module, analyses, []) // ['Task 3 "Lazy pagination" has no tests: …']
 */
export function checkMetadata(
  module: CourseModule,
  analyses: readonly TestFileAnalysis[],
  ran: readonly { readonly file: string; readonly ancestorTitles: readonly string[]; readonly title: string }[],
): string[] {
  const manifest = module.manifest
  if (manifest === null) return []
  if (isMigrated(manifest)) return checkTaskTests(module, manifest, analyses, ran)
  const problems: string[] = []
  const declared = new Set(manifest.tasks.map((task) => task.id))
  const covered = new Set<string>()
  const statics = analyses.flatMap((analysis) => analysis.tests)
  for (const test of statics) {
    const where = `${test.file}:${test.line} ${JSON.stringify(test.title)}`
    if (test.skipped) problems.push(`${where} is skipped or todo; graded tests must run.`)
    if (test.taskId === null) problems.push(`${where} is not inside a top-level describe('Task N: …').`)
    else if (!declared.has(test.taskId)) problems.push(`${where} belongs to Task ${test.taskId}, which tasks.json does not declare.`)
    else covered.add(test.taskId)
  }
  for (const test of ran) {
    const taskId = taskIdOf(test.ancestorTitles[0] ?? '')
    if (taskId !== null && declared.has(taskId)) covered.add(taskId)
    else if (!statics.some((candidate) => candidate.file === test.file && matchesStaticTest(candidate, test.ancestorTitles, test.title))) {
      const name = JSON.stringify(nameOf(test.ancestorTitles, test.title))
      problems.push(taskId === null ? `${test.file} ${name} is not inside a top-level describe('Task N: …').` : `${test.file} ${name} belongs to Task ${taskId}, which tasks.json does not declare.`)
    }
  }
  for (const task of manifest.tasks) {
    if (!covered.has(task.id)) problems.push(`Task ${task.id} ${JSON.stringify(task.title)} has no tests: add a top-level describe('Task ${task.id}: …').`)
    for (const file of task.files) {
      if (!existsSync(join(module.dir, file))) problems.push(`Task ${task.id} lists ${file}, which does not exist.`)
    }
  }
  problems.push(...checkReadme(module.dir, manifest))
  return problems
}

/** A test as it ran: where, and its describe titles and title (for the runtime placeholder check). */
export interface RanTest {
  readonly file: string
  readonly ancestorTitles: readonly string[]
  readonly title: string
}

/**
 * The metadata check of a module with graded task tests (issue 12): every task names graded test files that exist,
 * each holding only a top-level describe('Task <its id>: …') with tests that run and literal titles; graded tests
 * import only entry points, provided files and packages; provided files work in the starter; importing a starter
 * file never runs a stub; tasks.md (when present) agrees with tasks.json and the README table is current.
 * @example checkTaskTests(module, manifest, analyses, ran) // ['test/tasks/task-1.test.ts:3 imports "../../src/cursor" …']
 */
export function checkTaskTests(module: CourseModule, manifest: TaskManifest, analyses: readonly TestFileAnalysis[], ran: readonly RanTest[]): string[] {
  const problems: string[] = []
  const layout = moduleLayout(module)
  const byFile = new Map(analyses.map((analysis) => [analysis.file, analysis]))
  for (const task of manifest.tasks) {
    const tests = task.tests ?? []
    if (tests.length === 0) problems.push(`Task ${task.id} ${JSON.stringify(task.title)} has no graded tests: list its test files in tasks.json's "tests" (test/tasks/task-${task.id}.test.ts).`)
    for (const file of task.files) if (!existsSync(join(module.dir, file))) problems.push(`Task ${task.id} lists ${file}, which does not exist.`)
    let count = 0
    for (const file of tests) {
      if (!existsSync(join(module.dir, file))) {
        problems.push(`Task ${task.id} lists the graded test file ${file}, which does not exist.`)
        continue
      }
      const analysis = byFile.get(file)
      for (const error of analysis?.syntaxErrors ?? []) problems.push(`${file}:${error}`)
      for (const test of analysis?.tests ?? []) {
        const where = `${file}:${test.line} ${JSON.stringify(test.title)}`
        count += test.skipped ? 0 : 1
        if (test.skipped) problems.push(`${where} is skipped or todo; graded tests must run.`)
        // Where a test sits is checked as it ran (below): tests declared in helper functions have no describe around them in the source.
        for (const title of test.unfilled) problems.push(`${where}: the title ${JSON.stringify(title)} keeps a placeholder nothing fills (write the title literally).`)
      }
    }
    if (tests.length > 0 && count === 0) problems.push(`Task ${task.id} ${JSON.stringify(task.title)} has no tests in its graded test files.`)
  }
  const graded = new Set(layout.gradedTests)
  const reported = new Set<string>()
  const ownerOf = new Map(manifest.tasks.flatMap((task) => (task.tests ?? []).map((file) => [file, task.id] as const)))
  const misplaced = new Set<string>()
  for (const test of ran) {
    if (!graded.has(test.file)) continue
    const owner = ownerOf.get(test.file)
    if (owner !== undefined && taskIdOf(test.ancestorTitles[0] ?? '') !== owner && !misplaced.has(test.file)) {
      misplaced.add(test.file)
      problems.push(`${test.file}: ${JSON.stringify(nameOf(test.ancestorTitles, test.title))} ran outside describe('Task ${owner}: …'), and the file is graded for Task ${owner}.`)
    }
    for (const title of [...test.ancestorTitles, test.title]) {
      const placeholder = UNFILLED_PLACEHOLDER.exec(title)?.[0]
      if (placeholder === undefined || reported.has(`${test.file}\u0000${title}`)) continue
      reported.add(`${test.file}\u0000${title}`)
      problems.push(`${test.file}: the test title ${JSON.stringify(title)} ran with an unfilled placeholder ${JSON.stringify(placeholder)}.`)
    }
  }
  for (const entry of layout.unmatched) problems.push(`tasks.json's "provided" entry ${JSON.stringify(entry)} matches no file.`)
  problems.push(...checkImports(module, layout))
  const entry = new Set(layout.entryPoints)
  for (const file of [...layout.entryPoints, ...layout.provided]) {
    if (/\.[cm]?tsx?$/.test(file) && !file.endsWith('.d.ts') && existsSync(join(module.dir, file))) problems.push(...loadTimeStubCalls(module.dir, file, entry))
  }
  if (readTaskStatements(module.dir) !== null) problems.push(...checkDocs(module))
  else problems.push(...checkReadme(module.dir, manifest))
  return problems
}

/**
 * README agreement: each task's id and title appear together on one line (a row of the task table).
 * @example checkReadme('/repo/packages/generators-0x00', manifest) // []
 */
export function checkReadme(moduleDir: string, manifest: TaskManifest): string[] {
  const file = join(moduleDir, 'README.md')
  if (!existsSync(file)) return ['README.md is missing; it must list the tasks of tasks.json.']
  const lines = readFileSync(file, 'utf8').split('\n').map((line) => line.toLowerCase())
  return manifest.tasks
    .filter((task) => {
      // The id as a token: `| 0 |`, `0. Title`, `Task 0:` — but not the 0 of `10` or `1.0`.
      const id = new RegExp(`(^|[^\\w.-])${task.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-]|\\.\\d)`)
      const title = task.title.toLowerCase()
      return !lines.some((line) => line.includes(title) && id.test(line))
    })
    .map((task) => `README.md does not list Task ${task.id} ${JSON.stringify(task.title)} (a line with its id and title, e.g. a task-table row).`)
}

function blame(manifest: TaskManifest, analyses: readonly TestFileAnalysis[], facts: RunFacts): Map<string, string> {
  const reasons = new Map<string, string>()
  const all = manifest.tasks.map((task) => task.id)
  const tasksOf = (file: string): string[] => {
    const owners = new Set<string>()
    for (const task of manifest.tasks) if (task.files.includes(file) || task.tests?.includes(file) === true) owners.add(task.id)
    for (const test of analyses.find((analysis) => analysis.file === file)?.tests ?? []) if (test.taskId !== null) owners.add(test.taskId)
    return owners.size > 0 ? [...owners] : all
  }
  const add = (ids: readonly string[], reason: string): void => {
    for (const id of ids) if (!reasons.has(id)) reasons.set(id, reason)
  }
  for (const file of facts.missingFiles) add(tasksOf(file), `Missing file: the submission has no ${file}.`)
  for (const file of facts.refusedFiles ?? []) add(tasksOf(file), `Refused file: ${file} in the submission is a symbolic link; links are not followed, put the file itself there.`)
  for (const error of facts.compileErrors) {
    add(tasksOf(error.file), `Does not compile: ${error.file}${error.line === null ? '' : `:${error.line}`} ${error.message}`)
  }
  if (facts.compileFailure !== null) add(all, `Does not compile: ${facts.compileFailure}`)
  if (facts.tampering !== undefined && facts.tampering !== null) {
    reasons.clear()
    add(all, facts.tampering.startsWith('tampering detected') ? facts.tampering : `tampering detected: ${facts.tampering}`)
  }
  return reasons
}

function taskStatus(tests: readonly GradedTest[]): Outcome {
  if (tests.some((test) => test.outcome === 'error')) return 'error'
  if (tests.some((test) => test.outcome === 'timeout')) return 'timeout'
  if (tests.some((test) => test.outcome === 'fail')) return 'fail'
  return 'pass'
}

function gradeTask(module: CourseModule, task: TaskDefinition, index: number, tests: readonly GradedTest[], notImplemented: string | null, noTests: string | null): GradedTask {
  const passed = tests.filter((test) => test.outcome === 'pass').length
  const status: Outcome = tests.length === 0 ? 'error' : taskStatus(tests)
  const failing = status === 'pass' ? undefined : (tests.find((test) => test.outcome === status) ?? tests.find((test) => test.outcome !== 'pass'))
  const firstFailure: FirstFailure | null =
    failing === undefined ? null : { test: failing.name, message: failing.message ?? failing.outcome, expected: failing.expected, actual: failing.actual }
  let message: string | null = null
  if (tests.length === 0) message = noTests ?? `Task ${task.id} has no tests.`
  else if (status !== 'pass') message = notImplemented ?? failing?.message ?? status
  return {
    module: module.name,
    id: task.id,
    task_id: index + 1,
    title: task.title,
    kind: task.kind,
    status,
    score: tests.length === 0 ? 0 : round((task.points * passed) / tests.length),
    max_score: task.points,
    message,
    tests: { total: tests.length, passed },
    duration_ms: Math.round(tests.reduce((sum, test) => sum + (test.duration_ms ?? 0), 0)),
    first_failure: firstFailure,
  }
}

/**
 * Grades one module: its tests' results, attributed to tasks, with compile errors, missing files and timeouts
 * turned into per-task `error`/`timeout`, and the metadata check's problems.
 * @example const { module: graded, tests } = gradeModule(module, analyzeModuleTests(module.dir), facts)
 */
export function gradeModule(module: CourseModule, analyses: readonly TestFileAnalysis[], facts: RunFacts): { module: GradedModule; tests: GradedTest[] } {
  const manifest = module.manifest
  const base = { name: module.name, package: module.packageName, dir: module.relativeDir, run: facts.run }
  if (manifest === null) {
    return {
      module: { ...base, title: module.name, status: 'error', score: 0, max_score: 0, mandatory: { score: 0, max_score: 0 }, message: module.manifestError, problems: [module.manifestError ?? 'tasks.json is broken.'], tasks: [] },
      tests: [],
    }
  }
  const migrated = isMigrated(manifest)
  // Graded task tests (issue 12): only the graded files count, each for the task that lists it.
  const owner = new Map(manifest.tasks.flatMap((task) => (task.tests ?? []).map((file) => [file, task.id] as const)))
  const graded = migrated ? analyses.filter((analysis) => owner.has(analysis.file)) : analyses
  const runFacts: RunFacts = migrated && facts.report !== null ? { ...facts, report: { ...facts.report, files: facts.report.files.filter((file) => owner.has(file.path)) } } : facts
  const { entries, loadErrors } = collectEntries(graded, runFacts)
  const reasons = blame(manifest, graded, runFacts)
  const taskIndex = new Map(manifest.tasks.map((task, index) => [task.id, index]))
  const tests: GradedTest[] = []
  const notImplemented = new Set<GradedTest>()
  for (const entry of entries) {
    if (entry.classified.outcome === 'skipped') continue
    const task = migrated ? (owner.get(entry.file) ?? null) : taskIdOf(entry.ancestorTitles[0] ?? '')
    const index = task === null ? undefined : taskIndex.get(task)
    const reason = task === null ? undefined : reasons.get(task)
    const outcome: Outcome = reason !== undefined ? 'error' : entry.classified.outcome
    const key = `${entry.file}\u0000${[...entry.ancestorTitles, entry.title].join(' ')}`
    const output = facts.outputs.get(key)
    const classified = withRunLogs(entry.classified, facts.notImplementedStubs?.get(key), facts.blockedConnections?.get(key))
    const graded: GradedTest = {
      name: nameOf(entry.ancestorTitles, entry.title),
      status: outcome === 'timeout' ? 'error' : outcome,
      message: reason ?? classified.message,
      output: output === undefined || output === '' ? null : truncateOutput(output),
      test_code: entry.found?.code ?? '',
      task_id: index === undefined ? null : index + 1,
      module: module.name,
      task: index === undefined ? null : task,
      outcome,
      file: entry.file,
      line: entry.found?.line ?? null,
      duration_ms: entry.durationMs,
      expected: reason === undefined ? classified.expected : null,
      actual: reason === undefined ? classified.actual : null,
    }
    tests.push(graded)
    if (reason === undefined && classified.notImplemented) notImplemented.add(graded)
  }
  // Exercism lists tests in test-file order; jest's file scheduling is not stable, so sort: task, file, line.
  const order = (test: GradedTest): number => (test.task_id ?? Number.MAX_SAFE_INTEGER)
  const position = new Map(tests.map((test, index) => [test, index]))
  tests.sort(
    (a, b) =>
      order(a) - order(b) ||
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (position.get(a) ?? 0) - (position.get(b) ?? 0),
  )
  const problems = checkMetadata(module, graded, migrated ? entries : entries.filter((entry) => entry.found === null))
  const notRun = facts.runError ?? loadErrors[0] ?? null
  const tasks = manifest.tasks.map((task, index) => {
    const own = tests.filter((test) => test.task === task.id)
    const stubbed = own.some((test) => test.outcome !== 'pass') && own.every((test) => test.outcome === 'pass' || notImplemented.has(test))
    const stubs = [
      ...new Set(
        own
          .filter((test) => notImplemented.has(test))
          .flatMap((test) => (test.message ?? '').split('\n')[0]?.replace(/^not implemented(: )?/, '').split(/, (?=\S+ \()/) ?? [])
          .filter((text) => text !== ''),
      ),
    ]
    const undeclared = problems.find((problem) => problem.startsWith(`Task ${task.id} `) && problem.includes('has no tests'))
    const noTests = reasons.get(task.id) ?? undeclared ?? (notRun === null ? null : `Its tests did not run: ${notRun}`)
    return gradeTask(module, task, index, own, stubbed ? (stubs.length === 0 ? 'not implemented' : `not implemented: ${stubs.join(', ')}`) : null, noTests)
  })
  const sum = (list: readonly GradedTask[], key: 'score' | 'max_score'): number => round(list.reduce((total, task) => total + task[key], 0))
  const mandatory = tasks.filter((task) => task.kind === 'mandatory')
  const allError = tasks.every((task) => task.status === 'error')
  const allPass = tasks.every((task) => task.status === 'pass') && problems.length === 0
  const failing = tasks.filter((task) => task.status !== 'pass').length
  return {
    module: {
      ...base,
      title: manifest.title,
      status: allError ? 'error' : allPass ? 'pass' : 'fail',
      score: sum(tasks, 'score'),
      max_score: sum(tasks, 'max_score'),
      mandatory: { score: sum(mandatory, 'score'), max_score: sum(mandatory, 'max_score') },
      message: allError ? (tasks[0]?.message ?? notRun) : failing > 0 ? `${failing} of ${tasks.length} tasks not passed.` : problems.length > 0 ? `${problems.length} metadata problem(s).` : null,
      problems,
      tasks,
    },
    tests,
  }
}

/**
 * Assembles `grade.json` from graded modules: Exercism's top-level status and message, totals, provenance.
 * @example const report = buildReport(graded, provenance, Date.now() - started)
 */
export function buildReport(graded: readonly { module: GradedModule; tests: GradedTest[] }[], provenance: Provenance, durationMs: number): GradeReport {
  const modules = graded.map((entry) => entry.module)
  const tests = graded.flatMap((entry) => entry.tests)
  const tasks = modules.flatMap((module) => module.tasks)
  let status: GradeReport['status'] = 'pass'
  let message: string | null = null
  if (modules.length === 0) {
    status = 'error'
    message = 'No course modules found: no packages/*/tasks.json or apps/*/tasks.json.'
  } else if (tests.length === 0 || tests.every((test) => test.status === 'error')) {
    status = 'error'
    message = modules.map((module) => `${module.name}: ${module.message ?? module.status}`).join('\n')
  } else if (modules.some((module) => module.status !== 'pass')) {
    status = 'fail'
  }
  return {
    version: 3,
    status,
    message,
    tests,
    score: round(modules.reduce((total, module) => total + module.score, 0)),
    max_score: round(modules.reduce((total, module) => total + module.max_score, 0)),
    tasks,
    modules,
    duration_ms: Math.round(durationMs),
    provenance,
  }
}
