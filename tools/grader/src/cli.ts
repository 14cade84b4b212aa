#!/usr/bin/env tsx
// The command line: `pnpm grade [module…] [--submission <dir>]` and `pnpm starter <module> --out <dir>`.
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { discoverModules, findModule } from './discover'
import { renderMutationReport } from './mutation'
import type { MutationGradeReport } from './mutation'
import { GraderError, UsageError } from './errors'
import { renderScoreboard } from './render/scoreboard'
import { checkRoundTrip, renderRoundTrip } from './round-trip'
import { gradeRepository, gradeSubmission, writeReports } from './run-grade'
import { exportStarter, nextSteps } from './starter/export-starter'
import { isMigrated } from './task-metadata'
import { readTaskStatements, writeDocs } from './tasks-md'
import type { GradeReport } from './types'

const USAGE = `Usage:
  pnpm grade [module…] [options]                 grade every module (or the named ones) through turbo
  pnpm grade <module> --submission <dir>         grade a learner's implementation with the official tests
  pnpm grade <module…> --round-trip              check a module: starter 0, reference and solutions/alternative full marks,
                                                 each task alone exactly its points
  pnpm grade [module…] --sync-docs               regenerate the README task tables from tasks.json/tasks.md (= pnpm tasks:docs)
  pnpm starter <module> --out <dir> [--force]    export a learner starter

Options:
  --strict              exit 1 unless every task passes (for CI)
  --out <dir>           where grade.json and junit.xml go (default: reports/ at the repository root; with
                        --submission: <submission>/reports, or a temp folder for a submission inside the repository)
  --json                print grade.json instead of the scoreboard
  --timeout <seconds>   limit for one module's test run (default: 300 with --submission, 600 otherwise)
  --test-timeout <ms>   per-test timeout with --submission (default: 10000)
  --no-typecheck        with --submission: check syntax only
  --no-cache            do not replay failed runs from the grader's cache
  --root <dir>          repository root (default: found from this file)
  --verbose             every failing test with its whole message; stream jest / turbo output to stderr
  --concurrency <n>     with --round-trip: jest runs at the same time (default 2; 1 for maxWorkers: 1 modules)
  --quiet               no progress lines
  --force               with starter: write into a folder that is not empty
  --grader-repo <o/n>   with starter: the course repository its CI workflow calls`

function findRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    if (dirname(dir) === dir) return process.cwd()
  }
}

// A submission's reports never go over the repository's reports/: into the submission's own reports/ folder, or,
// for a submission inside the repository (a module graded as a submission), a temp folder of its own.
function submissionReports(root: string, submissionDir: string, report: GradeReport): string {
  const inside = relative(root, submissionDir)
  if (inside.startsWith('..') || isAbsolute(inside)) return join(submissionDir, 'reports')
  return join(tmpdir(), 'alx-grade-reports', report.modules[0]?.name ?? 'submission')
}

function positiveNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`Expected \`${name}\` to be a positive number, got ${JSON.stringify(value)}.`)
  return number
}

function isMutationReport(report: GradeReport): report is MutationGradeReport {
  return 'mutation' in report && typeof (report as { mutation?: unknown }).mutation === 'object'
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      submission: { type: 'string' },
      out: { type: 'string' },
      strict: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'test-timeout': { type: 'string' },
      'no-typecheck': { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'round-trip': { type: 'boolean', default: false },
      'sync-docs': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'grader-repo': { type: 'string' },
      root: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const [first = 'grade', ...others] = positionals
  // `pnpm tasks:docs [module…]` runs the `docs` command.
  const [command, rest] = first === 'docs' ? ['grade', others] : [first, others]
  if (first === 'docs') values['sync-docs'] = true
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  // pnpm runs root scripts from the root; paths the user typed are relative to where they typed them.
  const cwd = process.env['INIT_CWD'] ?? process.cwd()
  const root = values.root === undefined ? findRoot() : resolve(cwd, values.root)
  const progress = (line: string): void => {
    if (!values.quiet && !values.json) process.stderr.write(`  ${line}\n`)
  }

  if (command === 'starter') {
    const [wanted] = rest
    if (wanted === undefined || values.out === undefined) throw new UsageError(`pnpm starter needs a module and --out <dir>.\n\n${USAGE}`)
    const module = findModule(discoverModules(root), wanted, root, cwd)
    const graderRepo = values['grader-repo']
    const written = exportStarter(module, resolve(cwd, values.out), { force: values.force, ...(graderRepo === undefined ? {} : { graderRepo }) })
    const shown = relative(cwd, resolve(cwd, values.out)) || '.'
    process.stdout.write(`Starter for ${module.name} written to ${shown} (${written.length} files).\n\n${nextSteps(module, shown, graderRepo)}`)
    return 0
  }
  if (command !== 'grade') throw new UsageError(`Unknown command ${JSON.stringify(command)}.\n\n${USAGE}`)

  const timeoutSeconds = positiveNumber(values.timeout, '--timeout')
  const all = discoverModules(root)
  if (values['sync-docs']) {
    // Modules graded by task tests (issue 12) with a tasks.md; the others keep their hand-written tables.
    const modules = (rest.length === 0 ? all : rest.map((wanted) => findModule(all, wanted, root, cwd))).filter((module) => isMigrated(module.manifest) && readTaskStatements(module.dir) !== null)
    if (modules.length === 0) process.stdout.write('No module graded by task tests has a tasks.md yet: nothing to generate.\n')
    for (const module of modules) {
      const changed = writeDocs(module)
      process.stdout.write(`${module.relativeDir}/README.md: ${changed ? 'task table regenerated' : 'up to date'}\n`)
    }
    return 0
  }
  if (values['round-trip']) {
    const modules = rest.length === 0 ? all : rest.map((wanted) => findModule(all, wanted, root, cwd))
    const concurrency = positiveNumber(values.concurrency, '--concurrency')
    let failed = 0
    for (const module of modules) {
      progress(`round trip of ${module.name}: exporting the starter, then grading it, the reference, the alternative and each task alone…`)
      const started = Date.now()
      const result = await checkRoundTrip(module, {
        root,
        onProgress: progress,
        ...(concurrency === undefined ? {} : { concurrency: Math.floor(concurrency) }),
        ...(timeoutSeconds === undefined ? {} : { timeoutMs: timeoutSeconds * 1000 }),
      })
      process.stdout.write(renderRoundTrip(result))
      progress(`round trip of ${module.name}: ${Math.round((Date.now() - started) / 1000)} s`)
      if (result.problems.length > 0) failed += 1
    }
    return failed === 0 ? 0 : 1
  }
  let report: GradeReport
  if (values.submission !== undefined) {
    const [wanted, ...extra] = rest
    if (wanted === undefined || extra.length > 0) throw new UsageError('--submission grades exactly one module: pnpm grade <module> --submission <dir>.')
    const module = findModule(all, wanted, root, cwd)
    const submissionDir = resolve(cwd, values.submission)
    if (!existsSync(submissionDir)) throw new UsageError(`Expected \`--submission\` to be a folder, got ${JSON.stringify(values.submission)} (not found).`)
    progress(`grading ${relative(cwd, submissionDir) || '.'} against ${module.name}'s tests…`)
    const testTimeoutMs = positiveNumber(values['test-timeout'], '--test-timeout')
    report = await gradeSubmission(module, {
      root,
      submissionDir,
      typecheck: !values['no-typecheck'],
      verbose: values.verbose,
      onProgress: (line) => progress(`${module.name}: ${line}`),
      ...(testTimeoutMs === undefined ? {} : { testTimeoutMs }),
      ...(timeoutSeconds === undefined ? {} : { timeoutMs: timeoutSeconds * 1000 }),
    })
  } else {
    const modules = rest.length === 0 ? all : rest.map((wanted) => findModule(all, wanted, root, cwd))
    progress(`grading ${modules.length} module(s) through turbo${process.env['MYSQL_URL'] ? ' (SQLite and MySQL)' : ' (SQLite; set MYSQL_URL to add MySQL)'}…`)
    report = await gradeRepository(root, modules, {
      cache: !values['no-cache'],
      verbose: values.verbose,
      onProgress: progress,
      ...(timeoutSeconds === undefined ? {} : { timeoutMs: timeoutSeconds * 1000 }),
    })
  }
  const outDir = values.out !== undefined ? resolve(cwd, values.out) : values.submission !== undefined ? submissionReports(root, resolve(cwd, values.submission), report) : join(root, 'reports')
  const written = writeReports(report, outDir)
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  else {
    process.stdout.write(`\n${renderScoreboard(report, { verbose: values.verbose, color: process.stdout.isTTY && !process.env['NO_COLOR'], width: Math.max(60, (process.stdout.columns ?? 110) - 10) })}`)
    if (isMutationReport(report)) process.stdout.write(`\n${renderMutationReport(report)}`)
    process.stdout.write(`Wrote ${written.map((file) => relative(cwd, file) || file).join(', ')}\n`)
  }
  if (values.strict && report.status !== 'pass') {
    process.stderr.write(`--strict: grade status is ${report.status}.\n`)
    return 1
  }
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof GraderError) process.stderr.write(`${error.message}\n`)
    else if (error instanceof Error && error.name === 'TypeError' && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) process.stderr.write(`${error.message}\n\n${USAGE}\n`)
    else process.stderr.write(`The grader failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 2
  },
)
