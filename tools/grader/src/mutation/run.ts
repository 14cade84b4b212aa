import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { runProcess } from '../process'
import type { WrittenMutant } from './mutants'

/** One test as the mutation reporter saw it. */
export interface MutationTestResult {
  readonly titles: readonly string[]
  readonly title: string
  readonly status: string
  readonly failure: string | null
  readonly duration: number | null
}

/** One finished test file: a learner file (the baseline) or a mutant's wrapper. */
export interface MutationFileResult {
  readonly file: string
  /** The file could not run at all (a syntax error, a throw at load): jest's message. */
  readonly execError: string | null
  readonly tests: readonly MutationTestResult[]
}

/** A network connection the guard refused, with the test that tried it. */
export interface BlockedConnection {
  readonly file: string | null
  readonly name: string | null
  readonly message: string
}

/** What {@link runMutationJest} needs: where the learner's files are, and which mutants to run over which of them. */
export interface MutationRunPlan {
  readonly moduleDir: string
  /** The learner's folder (the module's layout); the module itself for the reference. */
  readonly submissionDir: string
  /** Every learner test file present in the submission, relative to it (`test/utils.test.ts`). */
  readonly learnerFiles: readonly string[]
  /** Each mutant with the learner files its task's tests live in. */
  readonly runs: readonly { readonly written: WrittenMutant; readonly files: readonly string[] }[]
  /** @default 10_000 */
  readonly testTimeoutMs?: number
  /** Limit for the whole jest run. @default 300_000 */
  readonly timeoutMs?: number
  /** jest workers. @default os.availableParallelism(), at most 4 */
  readonly workers?: number
  /** jest's transform cache folder (a fresh one measures a cold run). @default jest's own */
  readonly cacheDirectory?: string
}

/** Results of one mutation run, keyed by the absolute path of each test file (learner file or wrapper). */
export interface MutationRun {
  readonly files: ReadonlyMap<string, MutationFileResult>
  /** Wrapper path of each mutant id. */
  readonly wrappers: ReadonlyMap<string, string>
  readonly blocked: readonly BlockedConnection[]
  readonly timedOut: boolean
  /** jest's stderr tail when it ended badly and nothing was reported. */
  readonly stderr: string
  readonly durationMs: number
}

const GRADER_RUNTIME = resolve(__dirname, '..', '..', 'runtime')
const MUTATION_RUNTIME = join(__dirname, 'runtime')

function readJestConfig(moduleDir: string): Record<string, unknown> {
  const pkg = JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8')) as { jest?: unknown }
  if (typeof pkg.jest === 'object' && pkg.jest !== null) return pkg.jest as Record<string, unknown>
  return { preset: '@alx/jest-presets/node' }
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : []
}

function globEscape(path: string): string {
  return path.replace(/[*?[\]{}()!+@]/g, '\\$&')
}

function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as T]
      } catch {
        return [] // a line cut short by a killed run
      }
    })
}

/**
 * One jest process for a whole submission: the learner's test files as they are (the baseline, on the provided code)
 * and, for each mutant, a wrapper test file that swaps the mutated copy in for its provided file (`jest.mock` with
 * the mutant as factory, so every importer — the tests, the barrel, the other provided files — gets it) and then
 * loads the learner files of the mutant's task. Each test file has its own module registry, so mutants never leak
 * into each other; jest spreads the files over its workers. The network guard and the submission resolver are the
 * grader's own (`tools/grader/runtime`).
 * @example const run = await runMutationJest({ moduleDir, submissionDir, learnerFiles: ['test/utils.test.ts'], runs })
 */
export async function runMutationJest(plan: MutationRunPlan): Promise<MutationRun> {
  const moduleDir = resolve(plan.moduleDir)
  const submissionDir = resolve(plan.submissionDir)
  const temp = mkdtempSync(join(tmpdir(), 'alx-mutation-'))
  try {
    const wrappersDir = join(temp, 'mutants')
    const resultsFile = join(temp, 'results.jsonl')
    const blockedFile = join(temp, 'blocked.jsonl')
    const resolverFile = join(temp, 'resolver.cjs')
    const guardFile = join(temp, 'network-guard.cjs')
    writeFileSync(
      resolverFile,
      `module.exports = require(${JSON.stringify(join(GRADER_RUNTIME, 'resolver.cjs'))}).createResolver(${JSON.stringify({ moduleDir, submissionDir, taskFiles: plan.learnerFiles })})\n`,
    )
    writeFileSync(guardFile, `require(${JSON.stringify(join(GRADER_RUNTIME, 'network-guard.cjs'))}).install(${JSON.stringify(blockedFile)})\n`)

    const wrappers = new Map<string, string>()
    mkdirSync(wrappersDir)
    for (const { written, files } of plan.runs) {
      const wrapper = join(wrappersDir, `${written.mutant.id}.mutant.test.js`)
      const body = [
        `// Mutant ${written.mutant.id} (Task ${written.mutant.task}): ${written.mutant.when}`,
        `jest.mock(${JSON.stringify(written.original)}, () => jest.requireActual(${JSON.stringify(written.path)}))`,
        ...files.map((file) => `require(${JSON.stringify(join(submissionDir, file))})`),
        '',
      ]
      writeFileSync(wrapper, body.join('\n'))
      wrappers.set(written.mutant.id, wrapper)
    }

    const own = readJestConfig(moduleDir)
    const config = {
      ...own,
      rootDir: moduleDir,
      roots: [...new Set([submissionDir, wrappersDir])],
      testMatch: [...plan.learnerFiles.map((file) => globEscape(join(submissionDir, file))), `${globEscape(wrappersDir)}/*.mutant.test.js`],
      testPathIgnorePatterns: ['/node_modules/'],
      resolver: resolverFile,
      testTimeout: plan.testTimeoutMs ?? 10_000,
      setupFiles: [...list(own['setupFiles']), guardFile],
      reporters: [[join(MUTATION_RUNTIME, 'mutation-reporter.cjs'), { outputFile: resultsFile }]],
      watchman: false,
      ...(plan.cacheDirectory === undefined ? {} : { cacheDirectory: plan.cacheDirectory }),
      collectCoverage: false,
      coverageThreshold: undefined,
    }
    const configFile = join(temp, 'jest.config.json')
    writeFileSync(configFile, JSON.stringify(config, null, 2))
    const jestPackage = createRequire(join(moduleDir, 'package.json')).resolve('jest/package.json')
    const jestBin = join(dirname(jestPackage), 'bin', 'jest.js')
    const workers = plan.workers ?? Math.min(4, Math.max(1, availableParallelism()))
    const result = await runProcess(
      process.execPath,
      [jestBin, '--config', configFile, '--ci', `--maxWorkers=${workers}`, '--forceExit', '--passWithNoTests', '--silent'],
      { cwd: moduleDir, env: { ...process.env, FORCE_COLOR: '0', NODE_ENV: 'test' }, timeoutMs: plan.timeoutMs ?? 300_000 },
    )
    const files = new Map(readJsonLines<MutationFileResult>(resultsFile).map((entry) => [entry.file, entry]))
    return {
      files,
      wrappers,
      blocked: readJsonLines<BlockedConnection>(blockedFile),
      timedOut: result.timedOut,
      stderr: files.size === 0 ? result.stderr.slice(-4000) : '',
      durationMs: result.durationMs,
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}
