#!/usr/bin/env tsx
// Grades a learner's *tests* by the mutants they kill:
//   tsx tools/grader/src/mutation/cli.ts unittests-0x03 --submission <dir>
//   tsx tools/grader/src/mutation/cli.ts unittests-0x03 --reference        (the module's own learner files)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { discoverModules, findModule } from '../discover'
import { GraderError, UsageError } from '../errors'
import { isMutationModule } from './config'
import { gradeTestSubmission } from './grade-tests'
import { renderMutationReport } from './render'

const USAGE = `Usage:
  tsx tools/grader/src/mutation/cli.ts <module> --submission <dir> [options]
  tsx tools/grader/src/mutation/cli.ts <module> --reference [options]

Options:
  --task <id>           grade only this task (repeatable)
  --json                print grade.json instead of the report
  --out <dir>           also write grade.json there
  --strict              exit 1 unless every task passes
  --test-timeout <ms>   per-test timeout (default 10000)
  --timeout <seconds>   limit for the whole jest run (default 300)
  --workers <n>         jest workers (default: the machine's cores, at most 4)
  --isolation <mode>    registry (default: a test file per task, a module registry per mutant) or file (a test file per mutant)
  --jest-cache <dir>    jest's transform cache folder (default: jest's own; a fresh one measures a cold run)
  --root <dir>          repository root (default: found from this file)`

function findRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
    if (dirname(dir) === dir) return process.cwd()
  }
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`Expected \`${name}\` to be a positive number, got ${JSON.stringify(value)}.`)
  return number
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      submission: { type: 'string' },
      reference: { type: 'boolean', default: false },
      task: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      strict: { type: 'boolean', default: false },
      'test-timeout': { type: 'string' },
      timeout: { type: 'string' },
      workers: { type: 'string' },
      'jest-cache': { type: 'string' },
      isolation: { type: 'string' },
      root: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const [wanted, ...extra] = positionals
  if (wanted === undefined || extra.length > 0) throw new UsageError(`Name exactly one module.\n${USAGE}`)
  if ((values.submission === undefined) === (values.reference !== true)) throw new UsageError(`Give either --submission <dir> or --reference.\n${USAGE}`)
  const root = resolve(values.root ?? findRoot())
  const module = findModule(discoverModules(root), wanted, root, process.cwd())
  if (!isMutationModule(module.dir)) throw new UsageError(`${module.name} has no mutants.json: its learners write code, grade it with \`pnpm grade ${module.name} --submission <dir>\`.`)
  const submissionDir = values.reference === true ? module.dir : resolve(process.cwd(), values.submission as string)
  if (!existsSync(submissionDir)) throw new UsageError(`No such folder: ${submissionDir}`)
  const isolation = values.isolation
  if (isolation !== undefined && isolation !== 'registry' && isolation !== 'file') throw new UsageError(`Expected \`--isolation\` to be registry or file, got ${JSON.stringify(isolation)}.`)
  const testTimeoutMs = positive(values['test-timeout'], '--test-timeout')
  const timeoutSeconds = positive(values.timeout, '--timeout')
  const workers = positive(values.workers, '--workers')
  const report = await gradeTestSubmission(module, {
    root,
    submissionDir,
    ...(values.task === undefined ? {} : { tasks: values.task }),
    ...(testTimeoutMs === undefined ? {} : { testTimeoutMs }),
    ...(timeoutSeconds === undefined ? {} : { timeoutMs: timeoutSeconds * 1000 }),
    ...(workers === undefined ? {} : { workers: Math.floor(workers) }),
    ...(values['jest-cache'] === undefined ? {} : { cacheDirectory: resolve(values['jest-cache']) }),
    ...(isolation === undefined ? {} : { isolation }),
  })
  if (values.out !== undefined) {
    mkdirSync(values.out, { recursive: true })
    writeFileSync(join(values.out, 'grade.json'), `${JSON.stringify(report, null, 2)}\n`)
  }
  process.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderMutationReport(report))
  return values.strict === true && report.status !== 'pass' ? 1 : 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof GraderError || error instanceof TypeError ? error.message : ((error as Error).stack ?? String(error))}\n`)
    process.exitCode = 2
  },
)
