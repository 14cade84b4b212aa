import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import type { CourseModule } from './discover'
import type { RunFacts } from './grade'
import { buildReport, gradeModule } from './grade'
import { collectProvenance } from './provenance'
import { renderJunit } from './render/junit'
import { renderMarkdown } from './render/markdown'
import type { SubmissionOptions } from './run-submission'
import { runSubmission } from './run-submission'
import type { TurboOptions } from './run-turbo'
import { runWithTurbo } from './run-turbo'
import { analyzeGradedTests } from './layout'
import { gradeTestSubmission, isMutationModule } from './mutation'
import type { GradeReport } from './types'

/** Options of {@link gradeRepository}. */
export interface GradeRepositoryOptions extends TurboOptions {
  /** Clock for `provenance.generated_at`. */
  readonly now?: () => Date
}

/**
 * `pnpm grade`: grades every given module from its tests run through turbo (replayed from cache when unchanged).
 * @example const report = await gradeRepository('/repo', discoverModules('/repo'))
 */
export async function gradeRepository(root: string, modules: readonly CourseModule[], options: GradeRepositoryOptions = {}): Promise<GradeReport> {
  const started = Date.now()
  const facts = await runWithTurbo(root, modules, options)
  const inputs = modules.map((module) => ({ module, analyses: analyzeGradedTests(module), facts: facts.get(module.name) }))
  const none: RunFacts = {
    report: null,
    run: { mode: 'turbo', replayed_from: null, turbo_hash: null, timed_out: false, duration_ms: 0 },
    compileErrors: [],
    compileFailure: null,
    runError: 'The module was not run.',
    missingFiles: [],
    outputs: new Map(),
    timeoutMs: null,
  }
  const graded = inputs.map((input) => gradeModule(input.module, input.analyses, input.facts ?? none))
  const provenance = collectProvenance(
    inputs.map((input) => ({ module: input.module, analyses: input.analyses, report: input.facts?.report ?? null })),
    { root, ...(options.now === undefined ? {} : { now: options.now }) },
  )
  return buildReport(graded, provenance, Date.now() - started)
}

/** Options of {@link gradeSubmission}. */
export interface GradeSubmissionOptions extends SubmissionOptions {
  readonly root: string
  /** Clock for `provenance.generated_at`. */
  readonly now?: () => Date
}

/**
 * `pnpm grade <module> --submission <dir>`: grades a learner's implementation with the module's official tests.
 * @example const report = await gradeSubmission(module, { root: '/repo', submissionDir: '../my-work' })
 */
export async function gradeSubmission(module: CourseModule, options: GradeSubmissionOptions): Promise<GradeReport> {
  // A module whose learners write tests (a mutants.json): their tests are graded by the mutants they kill.
  if (isMutationModule(module.dir)) {
    const report = await gradeTestSubmission(module, {
      root: options.root,
      submissionDir: options.submissionDir,
      ...(options.testTimeoutMs === undefined ? {} : { testTimeoutMs: options.testTimeoutMs }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.disable === undefined ? {} : { disable: options.disable }),
    })
    // The mutation engine runs jest in the submission path's sandbox: its protections are in the report's provenance.
    return report
  }
  const started = Date.now()
  const analyses = analyzeGradedTests(module)
  const facts = await runSubmission(module, analyses, options)
  const graded = gradeModule(module, analyses, facts)
  const submissionDir = resolve(options.submissionDir)
  const shown = relative(options.root, submissionDir)
  const provenance = collectProvenance([{ module, analyses, report: facts.report }], {
    root: options.root,
    submission: { dir: shown.startsWith('..') ? submissionDir : shown || '.', files: facts.submissionFiles },
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  return buildReport([graded], { ...provenance, protections: facts.protections }, Date.now() - started)
}

/**
 * Writes `grade.json` and `junit.xml` into `outDir`, and appends the Markdown summary to `$GITHUB_STEP_SUMMARY`
 * when it is set. Returns the paths written.
 * @example writeReports(report, 'reports') // ['reports/grade.json', 'reports/junit.xml']
 */
export function writeReports(report: GradeReport, outDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  mkdirSync(outDir, { recursive: true })
  const grade = join(outDir, 'grade.json')
  const junit = join(outDir, 'junit.xml')
  writeFileSync(grade, `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(junit, renderJunit(report))
  const written = [grade, junit]
  const summary = env['GITHUB_STEP_SUMMARY']
  if (summary !== undefined && summary !== '') {
    appendFileSync(summary, renderMarkdown(report))
    written.push(summary)
  }
  return written
}
