import { execFileSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { CourseModule } from './discover'
import type { RunFacts } from './grade'
import type { JestReport } from './jest-report'
import { REPORT_FILE, progressFileOf, readJestReport } from './jest-report'
import { runProcess } from './process'
import { ProgressReader } from './progress'
import { parseTscOutput } from './typecheck'

/** Options of {@link runWithTurbo}. */
export interface TurboOptions {
  /**
   * Limit for one module's jest run: past it, that jest process is killed (turbo carries on with the others), the
   * test it was stuck in gets `timeout` and so do the tests it never reached. @default 600_000
   */
  readonly timeoutMs?: number
  /** Limit for the whole turbo run (lint and typecheck included). @default 3 × timeoutMs */
  readonly runTimeoutMs?: number
  /** Replay failed test runs from the grader's own cache, keyed by turbo's task hash. @default true */
  readonly cache?: boolean
  /** Where that cache lives. @default `<root>/node_modules/.cache/alx-grader` */
  readonly cacheDir?: string
  /** Called with progress lines (`@alx/x#test: cache hit`). */
  readonly onProgress?: (line: string) => void
  /** Stream turbo's full output to stderr. @default false */
  readonly verbose?: boolean
}

interface TurboTask {
  readonly taskId: string
  readonly hash: string
  readonly cache: { readonly status: 'HIT' | 'MISS' }
  readonly logFile?: string
  readonly execution?: { readonly exitCode?: number; readonly startTime?: number; readonly endTime?: number }
}

interface CacheEntry {
  readonly version: 1
  readonly hash: string
  readonly report: JestReport
  readonly typecheck: { readonly failed: boolean; readonly log: string }
}

const LOG_TAIL = 20_000

function turboBin(root: string): string {
  return createRequire(join(root, 'package.json')).resolve('turbo/bin/turbo')
}

function tail(text: string, lines: number): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}

function readLog(root: string, task: TurboTask | undefined): string {
  if (task?.logFile === undefined) return ''
  const file = join(root, task.logFile)
  if (!existsSync(file)) return ''
  const text = readFileSync(file, 'utf8')
  return text.length > LOG_TAIL ? text.slice(-LOG_TAIL) : text
}

// jest's workers are its children; a worker spinning in a loop would not notice its parent's death, so kill them all.
function killTree(pid: number): void {
  const all = [pid]
  for (let index = 0; index < all.length && index < 256; index += 1) {
    try {
      const children = execFileSync('pgrep', ['-P', String(all[index])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      all.push(...children.split('\n').filter((line) => line.trim() !== '').map(Number))
    } catch {
      // pgrep exits 1 when there are no children.
    }
  }
  for (const each of all) {
    try {
      process.kill(each, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
}

function readProgressHeader(file: string): { pid: number; startedAt: number } | null {
  if (!existsSync(file)) return null
  const buffer = Buffer.alloc(4096)
  let length = 0
  try {
    const fd = openSync(file, 'r')
    try {
      length = readSync(fd, buffer, 0, buffer.length, 0)
    } finally {
      closeSync(fd)
    }
    const header = JSON.parse(buffer.subarray(0, length).toString('utf8').split('\n')[0] ?? '') as { pid?: unknown; startedAt?: unknown }
    return typeof header.pid === 'number' && typeof header.startedAt === 'number' ? { pid: header.pid, startedAt: header.startedAt } : null
  } catch {
    return null
  }
}

function newestSummary(root: string, since: number): string | null {
  const dir = join(root, '.turbo', 'runs')
  if (!existsSync(dir)) return null
  const candidates = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ file: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .filter((entry) => entry.mtime >= since - 1000)
    .sort((a, b) => b.mtime - a.mtime)
  return candidates[0]?.file ?? null
}

const CACHE_ENTRIES = 200

function readCache(dir: string, hash: string): CacheEntry | null {
  const file = join(dir, `${hash}.json`)
  if (!existsSync(file)) return null
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry
    return entry.version === 1 && entry.hash === hash ? entry : null
  } catch {
    return null
  }
}

function writeCache(dir: string, entry: CacheEntry): void {
  try {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, `${entry.hash}.json`), JSON.stringify(entry))
    // Keep the newest entries only.
    const entries = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => ({ file: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime)
    for (const stale of entries.slice(CACHE_ENTRIES)) rmSync(stale.file, { force: true })
  } catch {
    // The cache is an optimisation; a read-only node_modules only costs a re-run next time.
  }
}

function compileFacts(failed: boolean, log: string): Pick<RunFacts, 'compileErrors' | 'compileFailure'> {
  if (!failed) return { compileErrors: [], compileFailure: null }
  const compileErrors = parseTscOutput(log)
  return { compileErrors, compileFailure: compileErrors.length > 0 ? null : `typecheck failed:\n${tail(log, 15) || '(no output)'}` }
}

function emptyFacts(run: RunFacts['run'], runError: string | null, timeoutMs: number | null): RunFacts {
  return { report: null, run, compileErrors: [], compileFailure: null, runError, missingFiles: [], outputs: new Map(), timeoutMs }
}

/**
 * Runs every module's `test` task through turbo (`--continue=always`, so one broken module does not stop the
 * others) and collects per module: the grade reporter's results, typecheck errors, cache provenance. A module whose
 * test task turbo would re-run only because it failed last time is replayed from the grader's cache instead, keyed by
 * turbo's own task hash (turbo never caches failed tasks).
 * @example const facts = await runWithTurbo('/repo', modules) // facts.get('generators-0x00')?.report
 */
export async function runWithTurbo(root: string, modules: readonly CourseModule[], options: TurboOptions = {}): Promise<Map<string, RunFacts>> {
  const timeoutMs = options.timeoutMs ?? 600_000
  const runTimeoutMs = options.runTimeoutMs ?? timeoutMs * 3
  const cacheDir = options.cacheDir ?? join(root, 'node_modules', '.cache', 'alx-grader')
  const facts = new Map<string, RunFacts>()
  const notRun = (duration = 0): RunFacts['run'] => ({ mode: 'turbo', replayed_from: null, turbo_hash: null, timed_out: false, duration_ms: duration })
  const graded = modules.filter((module) => {
    if (module.manifest === null) return false
    if (existsSync(join(module.dir, 'package.json'))) return true
    facts.set(module.name, emptyFacts(notRun(), `${module.relativeDir} has no package.json, so turbo cannot run its tests.`, null))
    return false
  })
  if (graded.length === 0) return facts
  const bin = turboBin(root)
  const filters = (list: readonly CourseModule[]): string[] => list.map((module) => `--filter=${module.packageName}`)
  // A grader started from inside a turbo task (its own tests) must not hand that run's identity to the inner turbo.
  const env: NodeJS.ProcessEnv = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: '0' }
  for (const name of ['TURBO_HASH', 'TURBO_INVOCATION_DIR', 'TURBO_IS_TUI', 'TURBO_RUN_SUMMARY']) delete env[name]

  // 1. What would run, and under which hashes.
  const dry = await runProcess(process.execPath, [bin, 'run', 'test', ...filters(graded), '--dry=json'], { cwd: root, env, timeoutMs: 120_000, keepChars: 64 * 1024 * 1024 })
  let planned: TurboTask[]
  try {
    planned = (JSON.parse(dry.stdout) as { tasks: TurboTask[] }).tasks
  } catch {
    const reason = `turbo could not plan the test run: ${tail(dry.stderr || dry.stdout, 15)}`
    for (const module of graded) facts.set(module.name, emptyFacts(notRun(), reason, null))
    return facts
  }
  const plannedTest = (module: CourseModule): TurboTask | undefined => planned.find((task) => task.taskId === `${module.packageName}#test`)

  // 2. Failed runs turbo did not cache, replayed from ours.
  const toRun: CourseModule[] = []
  for (const module of graded) {
    const task = plannedTest(module)
    const cached = options.cache !== false && task !== undefined && task.cache.status === 'MISS' ? readCache(cacheDir, task.hash) : null
    if (task !== undefined && cached !== null) {
      options.onProgress?.(`${module.name}: unchanged, replayed from the grader's cache (${task.hash})`)
      facts.set(module.name, {
        ...emptyFacts({ mode: 'turbo', replayed_from: 'grader', turbo_hash: task.hash, timed_out: false, duration_ms: 0 }, null, null),
        report: cached.report,
        ...compileFacts(cached.typecheck.failed, cached.typecheck.log),
      })
    } else {
      toRun.push(module)
    }
  }
  if (toRun.length === 0) return facts
  options.onProgress?.(`turbo: lint, typecheck and test of ${toRun.map((module) => module.name).join(', ')} (unchanged ones are replayed from turbo's cache)…`)

  // 3. Run. Stale results must not pass for fresh ones: turbo restores them on a cache hit, jest rewrites them otherwise.
  for (const module of toRun) {
    const reportFile = join(module.dir, REPORT_FILE)
    rmSync(reportFile, { force: true })
    rmSync(progressFileOf(reportFile), { force: true })
  }
  const started = Date.now()
  let summaryPath: string | null = null
  // Watchdog: the reporter's progress log names each jest run's pid and start; a run past its limit is killed alone.
  const stopped = new Set<string>()
  // Progress: each module's jest run announces itself in its progress log; say when it starts, how far it got, and when it ends.
  const readers = new Map(toRun.map((module) => [module.name, new ProgressReader(progressFileOf(join(module.dir, REPORT_FILE)))]))
  const seen = new Map<string, { started: number; shown: number; at: number; finished: boolean }>()
  const watchProgress = (module: CourseModule): void => {
    const reader = readers.get(module.name)
    const state = seen.get(module.name)
    if (reader === undefined || state?.finished === true) return
    const reportFile = join(module.dir, REPORT_FILE)
    if (existsSync(reportFile)) {
      if (state === undefined) return // replayed by turbo (a cache hit restores the report), said on its own line
      state.finished = true
      const report = readJestReport(reportFile)
      const tests = report?.files.flatMap((file) => file.tests) ?? []
      const failed = tests.filter((test) => test.status === 'failed').length
      options.onProgress?.(`${module.name}: tests finished (${tests.length} tests${failed > 0 ? `, ${failed} failed` : ''}, ${Math.round((Date.now() - state.started) / 1000)} s)`)
      return
    }
    const count = reader.read()
    if (!count.started) return
    if (state === undefined) {
      seen.set(module.name, { started: Date.now(), shown: 0, at: Date.now(), finished: false })
      options.onProgress?.(`${module.name}: tests started`)
    } else if (count.done !== state.shown && Date.now() - state.at >= 10_000) {
      state.shown = count.done
      state.at = Date.now()
      options.onProgress?.(`${module.name}: ${count.done} tests done${count.failed > 0 ? ` (${count.failed} failed)` : ''}`)
    }
  }
  const watchdog = setInterval(() => {
    for (const module of toRun) {
      if (stopped.has(module.name)) continue
      try {
        watchProgress(module)
      } catch {
        // Progress lines are a courtesy; a half-written log is read again next tick.
      }
      const reportFile = join(module.dir, REPORT_FILE)
      if (existsSync(reportFile)) continue
      const header = readProgressHeader(progressFileOf(reportFile))
      if (header === null || Date.now() - header.startedAt <= timeoutMs) continue
      stopped.add(module.name)
      killTree(header.pid)
      options.onProgress?.(`${module.name}: stopped after ${Math.round(timeoutMs / 1000)} s`)
    }
  }, 500)
  const result = await runProcess(
    process.execPath,
    [bin, 'run', 'test', ...filters(toRun), '--continue=always', '--summarize', '--json', `--output-logs=${options.verbose === true ? 'full' : 'hash-only'}`],
    {
      cwd: root,
      env,
      timeoutMs: runTimeoutMs,
      onLine: (line) => {
        let event: { source?: string; text?: string }
        try {
          event = JSON.parse(line) as { source?: string; text?: string }
        } catch {
          return
        }
        const text = event.text ?? ''
        const summary = /^Summary:\s+(.+\.json)\s*$/.exec(text.trim())
        if (summary?.[1] !== undefined) summaryPath = summary[1]
        if (options.verbose === true && event.source !== 'turbo') process.stderr.write(`${event.source ?? ''}: ${text}\n`)
        else if (event.source !== undefined && /^cache hit/.test(text)) {
          const module = toRun.find((each) => event.source === `${each.packageName}#test` || event.source === `${each.packageName}:test`)
          if (module !== undefined) options.onProgress?.(`${module.name}: unchanged, replayed from turbo's cache`)
        }
      },
    },
  )
  clearInterval(watchdog)
  for (const module of toRun) {
    try {
      watchProgress(module)
    } catch {
      // See above.
    }
  }
  const summaryFile = summaryPath ?? newestSummary(root, started)
  let ran: TurboTask[] = []
  if (summaryFile !== null && existsSync(summaryFile)) {
    try {
      ran = (JSON.parse(readFileSync(summaryFile, 'utf8')) as { tasks: TurboTask[] }).tasks
    } catch {
      ran = []
    }
  }

  // 4. Per module facts.
  for (const module of toRun) {
    const test = ran.find((task) => task.taskId === `${module.packageName}#test`) ?? plannedTest(module)
    const typecheck = ran.find((task) => task.taskId === `${module.packageName}#typecheck`)
    const report = readJestReport(join(module.dir, REPORT_FILE))
    const typecheckFailed = typecheck?.execution?.exitCode !== undefined && typecheck.execution.exitCode !== 0
    const typecheckLog = typecheckFailed ? readLog(root, typecheck) : ''
    const killed = stopped.has(module.name) || (result.timedOut && report?.complete !== true)
    const hit = test?.cache.status === 'HIT' && !result.timedOut
    const execution = test?.execution
    const duration = execution?.startTime !== undefined && execution.endTime !== undefined ? execution.endTime - execution.startTime : 0
    let runError: string | null = null
    if (report !== null && !report.complete && !killed) {
      runError = `jest ended before finishing (a crash: an uncaught exception or unhandled rejection?):\n${tail(readLog(root, test), 10)}`
    } else if (report === null && !killed) {
      const log = readLog(root, test)
      runError =
        test === undefined
          ? `turbo did not run ${module.packageName}#test: ${tail(result.stderr || result.stdout, 10)}`
          : `jest wrote no results for ${module.packageName} (does its jest config use an @alx/jest-presets preset?)${log === '' ? '' : `:\n${tail(log, 15)}`}`
    }
    facts.set(module.name, {
      report,
      run: { mode: 'turbo', replayed_from: hit ? 'turbo' : null, turbo_hash: test?.hash ?? null, timed_out: killed, duration_ms: duration },
      ...compileFacts(typecheckFailed, typecheckLog),
      runError,
      missingFiles: [],
      outputs: new Map(),
      timeoutMs: stopped.has(module.name) ? timeoutMs : runTimeoutMs,
    })
    if (options.cache !== false && !hit && test !== undefined && report?.complete === true) {
      writeCache(cacheDir, { version: 1, hash: test.hash, report, typecheck: { failed: typecheckFailed, log: typecheckLog } })
    }
  }
  return facts
}
