import { existsSync, readFileSync } from 'node:fs'

/** A failure as the grade reporter (`@alx/jest-presets/grade-reporter.js`) records it. */
export interface ReportedFailure {
  readonly name: string | null
  readonly message: string | null
  readonly code: string | null
  readonly matcher: { readonly name: string | null; readonly expected: string | null; readonly actual: string | null } | null
  readonly timeout: boolean
}

/** jest's test statuses. */
export type ReportedStatus = 'passed' | 'failed' | 'pending' | 'todo' | 'skipped' | 'disabled' | 'focused'

/** One test result as the grade reporter records it. */
export interface ReportedTest {
  readonly ancestorTitles: readonly string[]
  readonly title: string
  readonly fullName: string
  readonly status: ReportedStatus
  readonly durationMs: number | null
  readonly failureMessages: readonly string[]
  readonly failure: ReportedFailure | null
}

/** One test file's results. */
export interface ReportedFile {
  /** Relative to the package root. */
  readonly path: string
  readonly sha256: string | null
  readonly durationMs: number | null
  /** The file could not run at all (syntax error, import failure, throw at load). */
  readonly execError: { readonly message: string; readonly stack: string } | null
  readonly tests: readonly ReportedTest[]
  /** True when the run stopped before the file finished: only the tests listed here completed. */
  readonly partial?: boolean
}

/** The test that was running when the run stopped. */
export interface RunningTest {
  readonly file: string
  readonly ancestorTitles: readonly string[]
  readonly title: string
}

/** A package's jest results (`reports/jest-results.json`), possibly rebuilt from the progress log of a killed run. */
export interface JestReport {
  readonly schema: string
  readonly rootDir: string
  readonly filtered: boolean
  readonly jest: string | null
  readonly node: string | null
  readonly complete: boolean
  readonly startedAt: number | null
  readonly finishedAt: number | null
  readonly files: readonly ReportedFile[]
  readonly running: RunningTest | null
  /** The last test that finished before the run stopped (the likely culprit of a crash between tests). */
  readonly lastFinished?: RunningTest | null
}

/** The schema tag the reporter writes; anything else is not ours. */
export const REPORT_SCHEMA = 'alx-jest-results/1'

/** Where the reporter writes a package's results, relative to the package root. */
export const REPORT_FILE = 'reports/jest-results.json'

/**
 * The progress log the reporter appends to while a run is in progress.
 * @example progressFileOf('reports/jest-results.json') // 'reports/jest-results.progress.jsonl'
 */
export function progressFileOf(reportFile: string): string {
  return `${reportFile.replace(/\.json$/, '')}.progress.jsonl`
}

type ProgressEvent =
  | ({ type: 'start' } & Partial<JestReport>)
  | { type: 'case-start'; file: string; ancestorTitles: string[]; title: string }
  | { type: 'case-result'; file: string; result: ReportedTest }
  | { type: 'file-result'; file: ReportedFile }

function fromProgress(text: string): JestReport | null {
  let header: Partial<JestReport> | null = null
  const files = new Map<string, ReportedFile>()
  const partial = new Map<string, ReportedTest[]>()
  let running: RunningTest | null = null
  let lastFinished: RunningTest | null = null
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    let event: ProgressEvent
    try {
      event = JSON.parse(line) as ProgressEvent
    } catch {
      continue // a line cut short by the kill
    }
    if (event.type === 'start') header = event
    else if (event.type === 'case-start') running = { file: event.file, ancestorTitles: event.ancestorTitles, title: event.title }
    else if (event.type === 'case-result') {
      const list = partial.get(event.file) ?? []
      list.push(event.result)
      partial.set(event.file, list)
      lastFinished = { file: event.file, ancestorTitles: event.result.ancestorTitles, title: event.result.title }
      if (running?.file === event.file && running.title === event.result.title && running.ancestorTitles.join('\u0000') === event.result.ancestorTitles.join('\u0000')) {
        running = null
      }
    } else if (event.type === 'file-result') {
      files.set(event.file.path, event.file)
      partial.delete(event.file.path)
      if (running?.file === event.file.path) running = null
    }
  }
  if (header === null) return null
  for (const [path, tests] of partial) files.set(path, { path, sha256: null, durationMs: null, execError: null, tests, partial: true })
  return {
    schema: header.schema ?? REPORT_SCHEMA,
    rootDir: header.rootDir ?? '',
    filtered: header.filtered ?? false,
    jest: header.jest ?? null,
    node: header.node ?? null,
    complete: false,
    startedAt: header.startedAt ?? null,
    finishedAt: null,
    files: [...files.values()],
    running,
    lastFinished,
  }
}

/**
 * jest results from what came over the grader's channel: the complete report when one came, else the progress events.
 * @example reportFromChannel(null, ['{"type":"start",…}']) // an incomplete report, or null without a start event
 */
export function reportFromChannel(complete: JestReport | null, progressLines: readonly string[]): JestReport | null {
  if (complete !== null && complete.schema === REPORT_SCHEMA && Array.isArray(complete.files)) return { ...complete, running: null }
  return fromProgress(progressLines.join('\n'))
}

/**
 * Reads a package's jest results: the final report, else what the progress log of an interrupted run holds,
 * else `null` (no run, or not the grade reporter's format).
 * @example const report = readJestReport('/repo/packages/generators-0x00/reports/jest-results.json')
 */
export function readJestReport(reportFile: string): JestReport | null {
  if (existsSync(reportFile)) {
    try {
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JestReport
      if (report.schema === REPORT_SCHEMA && Array.isArray(report.files)) return { ...report, running: null }
    } catch {
      // Fall through to the progress log.
    }
  }
  const progress = progressFileOf(reportFile)
  if (!existsSync(progress)) return null
  return fromProgress(readFileSync(progress, 'utf8'))
}
