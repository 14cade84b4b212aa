import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { RUN_CRASHED_CODE, RUN_TIMEOUT_CODE } from './classify'
import type { CourseModule } from './discover'
import type { CompileError, RunFacts } from './grade'
import type { JestReport, ReportedFile, ReportedTest } from './jest-report'
import { progressFileOf, readJestReport } from './jest-report'
import { watchProgress } from './progress'
import { runProcess } from './process'
import { moduleLayout } from './layout'
import { submissionFiles } from './submission-files'
import { isMigrated } from './task-metadata'
import type { TestFileAnalysis } from './test-files'
import { checkSubmission, checkWorkdir } from './typecheck'
import type { StarterBase, Workdir } from './workdir'
import { makeWorkdir, prepareStarterBase, submissionOverlay } from './workdir'

/** Options of {@link runSubmission}. */
export interface SubmissionOptions {
  /** The learner's folder: the module's layout (`src/…`), only the task files are needed. */
  readonly submissionDir: string
  /** Per-test timeout. @default 10_000 */
  readonly testTimeoutMs?: number
  /** Limit for one jest run; a run past it is killed and the test it was stuck in gets `timeout`. @default 300_000 */
  readonly timeoutMs?: number
  /** Type-check the submission's files against the module (else syntax only). @default true */
  readonly typecheck?: boolean
  /** Runs after a killed or crashed one, each skipping the tests that hung or crashed it. @default 3 */
  readonly retries?: number
  /** Show jest's own output on stderr. @default false */
  readonly verbose?: boolean
  /**
   * Modules with graded task tests: the exported starter to grade on (else one is exported for this run). The
   * submission's files are copied over a fresh copy of it, so the reference's other files are never used.
   */
  readonly base?: StarterBase
  /**
   * Modules with graded task tests: exactly what to copy over the starter (relative path → file), instead of the
   * submission's entry points and the files they import. Missing entry points are then not reported.
   */
  readonly overlay?: ReadonlyMap<string, string>
  /** Progress lines (tests done so far), for stderr. */
  readonly onProgress?: (line: string) => void
}

/** What grading a submission found, plus the submission's files and their hashes. */
export interface SubmissionRun extends RunFacts {
  readonly submissionFiles: readonly { readonly path: string; readonly sha256: string | null }[]
}

const RUNTIME = resolve(__dirname, '..', 'runtime')

function sha256(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex')
  } catch {
    return null
  }
}

function readJestConfig(moduleDir: string): Record<string, unknown> {
  const pkg = JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8')) as { jest?: unknown }
  if (typeof pkg.jest === 'object' && pkg.jest !== null) return pkg.jest as Record<string, unknown>
  for (const name of ['jest.config.json', 'jest.config.js', 'jest.config.cjs']) {
    const file = join(moduleDir, name)
    if (!existsSync(file)) continue
    const loaded: unknown = name.endsWith('.json') ? JSON.parse(readFileSync(file, 'utf8')) : createRequire(file)(file)
    if (typeof loaded === 'object' && loaded !== null) return loaded as Record<string, unknown>
  }
  return { preset: '@alx/jest-presets/node' }
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : []
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function toPosix(path: string): string {
  return path.split(sep).join('/')
}

interface Attempt {
  readonly report: JestReport | null
  readonly timedOut: boolean
  readonly exitCode: number | null
  readonly stderr: string
}

function stoppedResult(ancestorTitles: readonly string[], title: string, timeoutMs: number, crash: string | null): ReportedTest {
  const message =
    crash === null
      ? `Timed out: the test was still running when the run was stopped after ${Math.round(timeoutMs / 100) / 10} s (an endless loop?).`
      : `Crashed the test run: ${crash}`
  return {
    ancestorTitles,
    title,
    fullName: [...ancestorTitles, title].join(' '),
    status: 'failed',
    durationMs: crash === null ? timeoutMs : null,
    failureMessages: [message],
    failure: { name: null, message, code: crash === null ? RUN_TIMEOUT_CODE : RUN_CRASHED_CODE, matcher: null, timeout: crash === null },
  }
}

// What ended a jest process early, from the end of its stderr (Node prints the error, then its version).
function crashReason(stderr: string, exitCode: number | null): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^Node\.js v\d/.test(line) && !/^at /.test(line))
  const error = [...lines].reverse().find((line) => /^[\w$.]*(Error|Exception)\b|^\[?Unhandled/.test(line)) ?? lines[lines.length - 1]
  return `${error ?? 'no output'} (jest exited with code ${String(exitCode)}: an uncaught exception or unhandled rejection ends the run).`
}

/**
 * Runs a module's official tests against a submission folder without copying it into the repository: a temporary
 * jest config redirects imports of task files to the submission (see runtime/resolver.cjs), blocks the network,
 * captures each test's console output and enforces a per-test and a per-run timeout. A run killed by the timeout is
 * repeated without the test that hung (or crashed it), so one endless loop costs only its own test.
 * @example const facts = await runSubmission(module, analyses, { submissionDir: '/tmp/work' })
 */
export async function runSubmission(module: CourseModule, analyses: readonly TestFileAnalysis[], options: SubmissionOptions): Promise<SubmissionRun> {
  const started = Date.now()
  const submissionDir = resolve(options.submissionDir)
  const testTimeoutMs = options.testTimeoutMs ?? 10_000
  const timeoutMs = options.timeoutMs ?? 300_000
  const migrated = isMigrated(module.manifest)
  const files = migrated ? [...moduleLayout(module).entryPoints] : submissionFiles(module)
  const missingFiles = options.overlay !== undefined ? [] : files.filter((file) => !existsSync(join(submissionDir, file)))
  const hashes = files.map((file) => ({ path: file, sha256: sha256(join(submissionDir, file)) }))

  // Graded task tests (issue 12): a fresh copy of the starter with the submission's files over it.
  let base: StarterBase | null = null
  let work: Workdir | null = null
  const temp = mkdtempSync(join(tmpdir(), 'alx-grade-'))
  let compileErrors: CompileError[] = []
  let compileFailure: string | null = null
  try {
    if (migrated) {
      base = options.base ?? prepareStarterBase(module)
      work = makeWorkdir(base, options.overlay ?? submissionOverlay(module, submissionDir))
    }
    const runDir = work?.dir ?? module.dir
    try {
      compileErrors =
        work === null ? checkSubmission(module.dir, submissionDir, files, { types: options.typecheck !== false }) : checkWorkdir(work.dir, work.overlaid, { types: options.typecheck !== false })
    } catch (error) {
      compileFailure = `the type checker failed: ${(error as Error).message}`
    }

    const requireFromGrader = createRequire(__filename)
    const reporter = requireFromGrader.resolve('@alx/jest-presets/grade-reporter.js')
    const jestPackage = createRequire(join(module.dir, 'package.json')).resolve('jest/package.json')
    const jestBin = join(dirname(jestPackage), 'bin', 'jest.js')
    const resultsFile = join(temp, 'jest-results.json')
    const outputsFile = join(temp, 'outputs.jsonl')
    const resolverFile = join(temp, 'resolver.cjs')
    const captureFile = join(temp, 'capture-output.cjs')
    const guardFile = join(temp, 'network-guard.cjs')
    const blockedFile = join(temp, 'blocked.jsonl')
    if (work === null) {
      writeFileSync(
        resolverFile,
        `module.exports = require(${JSON.stringify(join(RUNTIME, 'resolver.cjs'))}).createResolver(${JSON.stringify({ moduleDir: module.dir, submissionDir, taskFiles: files })})\n`,
      )
    }
    writeFileSync(captureFile, `require(${JSON.stringify(join(RUNTIME, 'capture-output.cjs'))})(${JSON.stringify(outputsFile)})\n`)
    writeFileSync(guardFile, `require(${JSON.stringify(join(RUNTIME, 'network-guard.cjs'))}).install(${JSON.stringify(blockedFile)})\n`)
    const own = readJestConfig(module.dir)
    const config = {
      ...own,
      rootDir: runDir,
      ...(work === null ? { resolver: resolverFile } : {}),
      testTimeout: testTimeoutMs,
      setupFiles: [...list(own['setupFiles']), guardFile],
      setupFilesAfterEnv: [...list(own['setupFilesAfterEnv']), captureFile],
      reporters: [...(options.verbose === true ? ['default'] : []), [reporter, { outputFile: resultsFile }]],
      watchman: false,
      collectCoverage: false,
    }
    const configFile = join(temp, 'jest.config.json')
    writeFileSync(configFile, JSON.stringify(config, null, 2))
    const env = { ...process.env, FORCE_COLOR: '0', NODE_ENV: 'test' }

    const jest = async (extra: readonly string[]): Promise<Attempt> => {
      rmSync(resultsFile, { force: true })
      // In band: one process, so a hang or crash is pinned on the test that caused it, the same way on any machine.
      const progress = options.onProgress === undefined ? undefined : watchProgress(progressFileOf(resultsFile), options.onProgress)
      const result = await runProcess(process.execPath, [jestBin, '--config', configFile, '--ci', '--runInBand', '--forceExit', '--passWithNoTests', ...extra], {
        cwd: runDir,
        env,
        timeoutMs,
        inheritStderr: options.verbose === true,
      }).finally(() => progress?.stop())
      return { report: readJestReport(resultsFile), timedOut: result.timedOut, exitCode: result.exitCode, stderr: result.stderr }
    }

    const done = new Map<string, ReportedFile>()
    const hung = new Map<string, ReportedTest[]>() // file → synthetic timeout results
    const graded = analyses.map((analysis) => analysis.file)
    const crashes = new Map<string, number>()
    const given = new Set<string>()
    let attempt = await jest(work === null ? [] : ['--runTestsByPath', ...graded.map((file) => join(runDir, file))])
    let timedOut = attempt.timedOut
    let runError: string | null = null
    let header: JestReport | null = attempt.report
    for (let retry = 0; ; retry += 1) {
      const report = attempt.report
      for (const file of report?.files ?? []) {
        if (file.partial === true) continue
        const extra = hung.get(file.path) ?? []
        // Tests skipped by the exclusion pattern come back as pending: replace them with their timeout.
        const tests = file.tests.filter((test) => !(test.status !== 'passed' && test.status !== 'failed' && extra.some((h) => h.fullName === test.fullName)))
        done.set(file.path, { ...file, tests: [...tests, ...extra] })
      }
      if (report !== null && report.complete) break
      if (report === null) {
        if (!attempt.timedOut) runError = `jest did not run (exit code ${String(attempt.exitCode)}): ${attempt.stderr.trim().split('\n').slice(-15).join('\n')}`
        break
      }
      // Killed by the timeout, or crashed (an unhandled rejection ends an in-band run): retry without the culprit.
      const crash = attempt.timedOut ? null : crashReason(attempt.stderr, attempt.exitCode)
      // A crash between tests (a rejection left behind fires after its test ended) is blamed on the last test that ran.
      const running = report.running ?? (crash === null ? null : (report.lastFinished ?? null))
      // A file whose tests crash the run again and again (a stub that leaves rejections behind) is given up after two
      // crashes, so the other files (other tasks) still run: each file gets its own retries.
      if (running === null || retry >= (options.retries ?? 3) + given.size * 2) {
        if (crash !== null) runError = `the test run ended early: ${crash}`
        break
      }
      const note = report.running === null ? '(after it finished) ' : ''
      const stuck = stoppedResult(running.ancestorTitles, running.title, timeoutMs, crash === null ? null : `${note}${crash}`)
      hung.set(running.file, [...(hung.get(running.file) ?? []), stuck])
      if (crash !== null) {
        crashes.set(running.file, (crashes.get(running.file) ?? 0) + 1)
        if ((crashes.get(running.file) ?? 0) >= 2 && given.size < analyses.length) given.add(running.file)
      }
      const remaining = analyses.map((analysis) => analysis.file).filter((file) => !done.has(file) && !given.has(file))
      if (remaining.length === 0) break
      const excluded = [...hung.values()].flat().map((test) => escapeRegExp(test.fullName))
      attempt = await jest(['--runTestsByPath', ...remaining.map((file) => join(runDir, file)), '--testNamePattern', `^(?!(?:${excluded.join('|')})$)`])
      header ??= attempt.report
      timedOut ||= attempt.timedOut
    }
    // Whatever the last attempt left unfinished stays partial, so the grade marks it timeout.
    const last = attempt.report
    const leftovers = (last?.files ?? []).filter((file) => file.partial === true && !done.has(file.path) && !hung.has(file.path))
    for (const [file, tests] of hung) {
      if (done.has(file)) continue
      const partial = (last?.files ?? []).find((entry) => entry.path === file && entry.partial === true)
      const kept = (partial?.tests ?? []).filter((test) => !tests.some((stuck) => stuck.fullName === test.fullName))
      done.set(file, { path: file, sha256: null, durationMs: null, execError: null, tests: [...kept, ...tests], partial: true })
    }
    const complete = last?.complete === true
    const report: JestReport | null =
      header === null && done.size === 0
        ? null
        : {
            schema: header?.schema ?? 'alx-jest-results/1',
            rootDir: runDir,
            filtered: false,
            jest: header?.jest ?? null,
            node: header?.node ?? null,
            complete,
            startedAt: header?.startedAt ?? null,
            finishedAt: last?.finishedAt ?? null,
            files: [...done.values(), ...leftovers],
            running: complete ? null : (last?.running ?? null),
          }

    const readLog = (logFile: string, field: 'output' | 'message'): Map<string, string> => {
      const entries = new Map<string, string>()
      if (!existsSync(logFile)) return entries
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        if (line.trim() === '') continue
        try {
          const entry = JSON.parse(line) as { file: string | null; name: string | null; output?: string; message?: string }
          if (entry.file === null || entry.name === null) continue
          const file = isAbsolute(entry.file) ? toPosix(relative(runDir, entry.file)) : entry.file
          const key = `${file}\u0000${entry.name}`
          if (!entries.has(key) || field === 'output') entries.set(key, entry[field] ?? '')
        } catch {
          // A line cut short by a killed run.
        }
      }
      return entries
    }
    const outputs = readLog(outputsFile, 'output')
    const blockedConnections = readLog(blockedFile, 'message')
    return {
      report,
      run: { mode: 'submission', replayed_from: null, turbo_hash: null, timed_out: timedOut, duration_ms: Date.now() - started },
      compileErrors,
      compileFailure,
      runError,
      missingFiles,
      outputs,
      blockedConnections,
      timeoutMs,
      submissionFiles: hashes,
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
    work?.dispose()
    if (base !== null && options.base === undefined) base.dispose()
  }
}
