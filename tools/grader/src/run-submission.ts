import { createHash } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { ResultsChannel } from './channel'
import { RUN_CRASHED_CODE, RUN_TIMEOUT_CODE } from './classify'
import type { CourseModule } from './discover'
import type { CompileError, RunFacts } from './grade'
import type { JestReport, ReportedFile, ReportedTest } from './jest-report'
import { progressFileOf } from './jest-report'
import { watchProgress } from './progress'
import { runProcess } from './process'
import { needsHostLoopback, sandboxCommand } from './sandbox'
import { matchesStaticTest } from './test-files'
import type { Protection } from './types'
import { moduleLayout } from './layout'
import { submissionFiles } from './submission-files'
import { isMigrated } from './task-metadata'
import type { StaticTest, TestFileAnalysis } from './test-files'
import { checkSubmission, checkWorkdir } from './typecheck'
import type { StarterBase, Workdir } from './workdir'
import { isLinked, makeWorkdir, prepareStarterBase, submissionOverlay } from './workdir'

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
  /** Protections to leave out (the bench measures what each costs): see {@link sandboxCommand}. */
  readonly disable?: readonly string[]
}

/** What grading a submission found, plus the submission's files and their hashes. */
export interface SubmissionRun extends RunFacts {
  readonly submissionFiles: readonly { readonly path: string; readonly sha256: string | null }[]
  /** What was in force around the run, and what was missing (with why). */
  readonly protections: readonly Protection[]
}

const TAMPERING_CODE = 'ERR_GRADER_TAMPERING'

// A test declared inside a helper function that a describe calls (`describe('on SQLite', () => suite('sqlite'))`) runs
// under more describes than the file shows: its written describes must appear in order among the ones it ran under.
function looselyMatches(candidate: StaticTest, ancestorTitles: readonly string[], title: string): boolean {
  if (matchesStaticTest(candidate, ancestorTitles, title)) return true
  if (!new RegExp(candidate.titlePattern, 's').test(title)) return false
  let next = 0
  for (const pattern of candidate.pathPatterns) {
    const regex = new RegExp(pattern, 's')
    while (next < ancestorTitles.length && !regex.test(ancestorTitles[next] ?? '')) next += 1
    if (next >= ancestorTitles.length) return false
    next += 1
  }
  return true
}

function literal(test: StaticTest): boolean {
  return ![...test.describePath, test.title].some((title) => /%|\$\{?\w/.test(title))
}

/**
 * The results against the official tests read without running them: every official test reported (at least once;
 * exactly once when its title has no placeholder) and nothing reported that is not an official test. Checked for
 * files that ran to the end (a killed or crashed file keeps its own handling).
 */
export function checkReported(analyses: readonly TestFileAnalysis[], report: JestReport | null): string[] {
  const problems: string[] = []
  for (const file of report?.files ?? []) {
    const analysis = analyses.find((candidate) => candidate.file === file.path)
    if (analysis === undefined || file.partial === true || file.execError !== null) continue
    const statics = analysis.tests.filter((test) => !test.skipped)
    for (const test of file.tests) {
      if (!statics.some((candidate) => looselyMatches(candidate, test.ancestorTitles, test.title))) {
        problems.push(`${file.path} reported a test that is not an official one: ${JSON.stringify([...test.ancestorTitles, test.title].join(' › '))}`)
      }
    }
    for (const candidate of statics) {
      const count = file.tests.filter((test) => matchesStaticTest(candidate, test.ancestorTitles, test.title)).length
      const loose = count > 0 || file.tests.some((test) => looselyMatches(candidate, test.ancestorTitles, test.title))
      const twins = statics.filter((other) => other.title === candidate.title && other.describePath.join('\u0000') === candidate.describePath.join('\u0000')).length
      const name = JSON.stringify([...candidate.describePath, candidate.title].join(' › '))
      if (!loose) problems.push(`the official test ${name} (${file.path}:${candidate.line}) was never reported`)
      else if (literal(candidate) && count > twins) problems.push(`the official test ${name} (${file.path}:${candidate.line}) was reported ${count} times`)
    }
  }
  return problems
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

/**
 * The starter stubs each test reached (runtime/not-implemented.cjs's log), as `stub (file)`, keyed like the outputs.
 * @example readStubLog('/tmp/run/not-implemented.jsonl', '/tmp/run/work').get('test/a.test.ts\u0000Task 0: a works') // ['a (src/a.ts)']
 */
export function readStubLog(logFile: string, runDir: string): Map<string, string[]> {
  const entries = new Map<string, string[]>()
  if (!existsSync(logFile)) return entries
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    try {
      const entry = JSON.parse(line) as { file?: unknown; name?: unknown; stubs?: unknown }
      if (typeof entry.file !== 'string' || typeof entry.name !== 'string' || !Array.isArray(entry.stubs)) continue
      const file = isAbsolute(entry.file) ? toPosix(relative(runDir, entry.file)) : entry.file
      const key = `${file}\u0000${entry.name}`
      const stubs = entries.get(key) ?? []
      for (const stub of entry.stubs as unknown[]) {
        if (stub === null || typeof stub !== 'object') continue
        const { stub: name, file: where } = stub as { stub?: unknown; file?: unknown }
        if (typeof name !== 'string') continue
        const text = typeof where === 'string' ? `${name} (${where})` : name
        if (!stubs.includes(text)) stubs.push(text)
      }
      if (stubs.length > 0) entries.set(key, stubs)
    } catch {
      // A line cut short by a killed run.
    }
  }
  return entries
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
  // Symbolic links are refused, never followed (they could point at the reference): graded as if the file were absent.
  const refusedFiles = migrated && options.overlay === undefined ? files.filter((file) => !missingFiles.includes(file) && isLinked(submissionDir, file)) : []
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
    // The official files as the module has them now: the run's copies must match them before and after the run, and
    // the module's own (the repository's) must still be the same afterwards (else they are put back).
    const layout = migrated ? moduleLayout(module) : null
    const officialTests = analyses.map((analysis) => analysis.file)
    const guarded = [...new Set([...officialTests, ...(layout?.provided ?? []), 'tasks.json', 'package.json'])].filter((file) => existsSync(join(module.dir, file)))
    const snapshot = new Map(guarded.map((file) => [file, readFileSync(join(module.dir, file))]))
    const expectedHash = new Map(officialTests.map((file) => [file, sha256(join(module.dir, file))]))
    const tampering: string[] = []
    if (work !== null) {
      for (const file of officialTests) if (sha256(join(runDir, file)) !== expectedHash.get(file)) tampering.push(`the official test file ${file} was changed before the run (in the shared starter copy)`)
    }
    let protections: readonly Protection[] = []

    const jestPackage = createRequire(join(module.dir, 'package.json')).resolve('jest/package.json')
    const jestBin = join(dirname(jestPackage), 'bin', 'jest.js')
    const resultsFile = join(temp, 'jest-results.json')
    const outputsFile = join(temp, 'outputs.jsonl')
    const resolverFile = join(temp, 'resolver.cjs')
    const captureFile = join(temp, 'capture-output.cjs')
    const guardFile = join(temp, 'network-guard.cjs')
    const blockedFile = join(temp, 'blocked.jsonl')
    const stubsFile = join(temp, 'not-implemented.jsonl')
    const stubsHook = join(temp, 'not-implemented.cjs')
    if (work === null) {
      writeFileSync(
        resolverFile,
        `module.exports = require(${JSON.stringify(join(RUNTIME, 'resolver.cjs'))}).createResolver(${JSON.stringify({ moduleDir: module.dir, submissionDir, taskFiles: files })})\n`,
      )
    }
    writeFileSync(captureFile, `require(${JSON.stringify(join(RUNTIME, 'capture-output.cjs'))})(${JSON.stringify(outputsFile)})\n`)
    writeFileSync(guardFile, `require(${JSON.stringify(join(RUNTIME, 'network-guard.cjs'))}).install(${JSON.stringify(blockedFile)})\n`)
    writeFileSync(stubsHook, `require(${JSON.stringify(join(RUNTIME, 'not-implemented.cjs'))})(${JSON.stringify(stubsFile)})\n`)
    const integrityFile = join(temp, 'integrity.cjs')
    writeFileSync(integrityFile, `require(${JSON.stringify(join(RUNTIME, 'integrity.cjs'))})()\n`)
    const nonceFile = join(temp, 'channel-nonce')
    const own = readJestConfig(module.dir)
    const config = {
      ...own,
      rootDir: runDir,
      ...(work === null ? { resolver: resolverFile } : {}),
      testTimeout: testTimeoutMs,
      setupFiles: [...list(own['setupFiles']), guardFile],
      setupFilesAfterEnv: [...list(own['setupFilesAfterEnv']), captureFile, stubsHook, integrityFile],
      // Results come back over fd 3 (runtime/channel-reporter.cjs), never through a file the run could rewrite.
      reporters: [...(options.verbose === true ? ['default'] : []), [join(RUNTIME, 'channel-reporter.cjs'), { outputFile: resultsFile, fd: 3, nonceFile }]],
      watchman: false,
      collectCoverage: false,
    }
    const configFile = join(temp, 'jest.config.json')
    writeFileSync(configFile, JSON.stringify(config, null, 2))
    // $HOME is a scratch folder of this run (deleted with it): a write to os.homedir() lands there.
    const home = join(temp, 'home')
    mkdirSync(home, { mode: 0o700 })
    const env = { ...process.env, HOME: home, FORCE_COLOR: '0', NODE_ENV: 'test' }

    const progressFile = progressFileOf(resultsFile)
    const hostLoopback = needsHostLoopback(module.dir)
    const jest = async (extra: readonly string[]): Promise<Attempt> => {
      rmSync(progressFile, { force: true })
      const channel = new ResultsChannel()
      writeFileSync(nonceFile, channel.nonce, { mode: 0o600 })
      // In band: one process, so a hang or crash is pinned on the test that caused it, the same way on any machine.
      const progress = options.onProgress === undefined ? undefined : watchProgress(progressFile, options.onProgress)
      const plan = sandboxCommand(process.execPath, [jestBin, '--config', configFile, '--ci', '--runInBand', '--forceExit', '--passWithNoTests', ...extra], {
        needsHostLoopback: hostLoopback,
        cpuSeconds: timeoutMs / 1000 + 30,
        ...(options.disable === undefined ? {} : { disable: options.disable }),
      })
      protections = plan.protections
      const result = await runProcess(plan.command, plan.args, {
        cwd: runDir,
        env,
        timeoutMs,
        inheritStderr: options.verbose === true,
        endOnExit: true,
        onChannelLine: (line) => {
          channel.feed(line)
          if (progress !== undefined && line.startsWith(`${channel.nonce} `) && !line.includes('"type":"complete"')) appendFileSync(progressFile, `${line.slice(channel.nonce.length + 1)}\n`)
        },
      }).finally(() => progress?.stop())
      rmSync(nonceFile, { force: true })
      for (const problem of channel.problems) if (!tampering.includes(problem)) tampering.push(problem)
      return { report: channel.report(), timedOut: result.timedOut, exitCode: result.exitCode, stderr: result.stderr }
    }

    const done = new Map<string, ReportedFile>()
    const hung = new Map<string, ReportedTest[]>() // file → synthetic timeout results
    const graded = analyses.map((analysis) => analysis.file)
    const crashes = new Map<string, number>()
    const given = new Set<string>()
    // jest starts first (a child process), then the type check runs here meanwhile: on two cores they overlap.
    const first = jest(work === null ? [] : ['--runTestsByPath', ...graded.map((file) => join(runDir, file))])
    try {
      compileErrors =
        work === null ? checkSubmission(module.dir, submissionDir, files, { types: options.typecheck !== false }) : checkWorkdir(work.dir, work.overlaid, { types: options.typecheck !== false })
    } catch (error) {
      compileFailure = `the type checker failed: ${(error as Error).message}`
    }
    let attempt = await first
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
    // Tampering: official files changed by the run (the repository's are put back), matchers overridden (the
    // integrity hook failed a test), results that do not match the official tests.
    for (const file of officialTests) {
      if (work !== null && existsSync(join(runDir, file)) && sha256(join(runDir, file)) !== expectedHash.get(file)) tampering.push(`the official test file ${file} was rewritten during the run`)
    }
    for (const file of report?.files ?? []) {
      const expected = expectedHash.get(file.path)
      if (file.sha256 !== null && expected !== undefined && file.sha256 !== expected) tampering.push(`the official test file ${file.path} ran with changed contents`)
      for (const test of file.tests) {
        if (test.failure?.code === TAMPERING_CODE || test.failureMessages.some((message) => message.includes('tampering detected: '))) {
          const found = /tampering detected: ([^\n]*)/.exec(test.failureMessages.join('\n'))?.[1] ?? 'jest was tampered with'
          if (!tampering.includes(found)) tampering.push(found)
        }
      }
    }
    for (const [file, contents] of snapshot) {
      const now = existsSync(join(module.dir, file)) ? readFileSync(join(module.dir, file)) : null
      if (now === null || !now.equals(contents)) {
        writeFileSync(join(module.dir, file), contents)
        tampering.push(`the module's own ${file} was changed during the run (put back)`)
      }
    }
    tampering.push(...checkReported(analyses, report))
    const outputs = readLog(outputsFile, 'output')
    const blockedConnections = readLog(blockedFile, 'message')
    const notImplementedStubs = readStubLog(stubsFile, runDir)
    return {
      report,
      run: { mode: 'submission', replayed_from: null, turbo_hash: null, timed_out: timedOut, duration_ms: Date.now() - started },
      compileErrors,
      compileFailure,
      runError,
      missingFiles,
      refusedFiles,
      outputs,
      blockedConnections,
      notImplementedStubs,
      timeoutMs,
      submissionFiles: hashes,
      tampering: tampering.length === 0 ? null : `tampering detected: ${tampering.join('; ')}`,
      protections: [
        { name: 'fresh-copy', status: work === null ? 'missing' : 'in force', detail: work === null ? "an older module's tests run in the module's own folder" : 'the starter copied for this run; official test files hashed before and after, the module\'s own files checked and put back' },
        { name: 'results-channel', status: 'in force', detail: 'results over fd 3 with a per-run nonce, read until jest exits; every official test reported, nothing unknown' },
        { name: 'tamper-detection', status: 'in force', detail: "jest's built-in matchers pinned, equality testers and the global expect checked after each test" },
        { name: 'process-group-kill', status: process.platform === 'win32' ? 'missing' : 'in force', detail: 'the group is killed when jest exits; the grader does not wait for its pipes to close' },
        ...protections,
        { name: 'node-permission-model', status: 'missing', detail: 'not applied: measured on Node 20.20, jest under --experimental-permission --allow-fs-read=* cannot resolve its preset (Validation Error), and it needs --allow-child-process/--allow-worker, which void the model' },
        { name: 'hidden-repository-path', status: 'missing', detail: "node_modules links into the repository, so its path is readable from the run (no mount namespace)" },
      ],
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
    work?.dispose()
    if (base !== null && options.base === undefined) base.dispose()
  }
}
