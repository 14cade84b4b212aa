import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import ts from 'typescript'
import type { CourseModule } from './discover'
import type { JestReport } from './jest-report'
import type { TestFileAnalysis } from './test-files'
import type { Provenance } from './types'

function git(root: string, args: readonly string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

function sha256(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex')
  } catch {
    return null
  }
}

function versionOf(name: string, from: string): string | null {
  try {
    const pkg = createRequire(join(from, 'package.json'))(`${name}/package.json`) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : null
  } catch {
    return null
  }
}

/** What {@link collectProvenance} needs about one graded module. */
export interface ProvenanceInput {
  readonly module: CourseModule
  readonly analyses: readonly TestFileAnalysis[]
  readonly report: JestReport | null
}

/** Options of {@link collectProvenance}. */
export interface ProvenanceOptions {
  readonly root: string
  readonly submission?: Provenance['submission']
  /** Clock for `generated_at` (tests pin it). @default () => new Date() */
  readonly now?: () => Date
}

const GRADER_VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version

/**
 * Where a grade came from: commit (and whether the graded folders had uncommitted changes), Node, jest and
 * TypeScript versions, databases, and the SHA-256 of every test file (as the test run hashed it, else as on disk).
 * @example const provenance = collectProvenance(inputs, { root: '/repo' })
 */
export function collectProvenance(inputs: readonly ProvenanceInput[], options: ProvenanceOptions): Provenance {
  const { root } = options
  const commit = git(root, ['rev-parse', 'HEAD'])
  const dirs = inputs.map((input) => input.module.dir)
  const status = commit === null || dirs.length === 0 ? null : git(root, ['status', '--porcelain', '--', ...dirs])
  const jest = inputs.map((input) => input.report?.jest).find((version) => typeof version === 'string') ?? versionOf('jest', inputs[0]?.module.dir ?? root) ?? versionOf('jest', root)
  const testFiles = inputs.flatMap((input) =>
    input.analyses.map((analysis) => {
      const reported = input.report?.files.find((file) => file.path === analysis.file)?.sha256
      return { module: input.module.name, path: `${input.module.relativeDir}/${analysis.file}`, sha256: reported ?? sha256(join(input.module.dir, analysis.file)) }
    }),
  )
  return {
    grader: GRADER_VERSION,
    commit,
    dirty: status === null ? null : status !== '',
    node: process.version,
    jest: jest ?? null,
    typescript: ts.version,
    platform: `${process.platform}-${process.arch}`,
    databases: process.env['MYSQL_URL'] ? ['sqlite', 'mysql'] : ['sqlite'],
    generated_at: (options.now ?? (() => new Date()))().toISOString(),
    test_files: testFiles,
    submission: options.submission ?? null,
  }
}
