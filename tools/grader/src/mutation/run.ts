import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, tmpdir } from 'node:os'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { reachableFiles } from '../imports'
import { runProcess } from '../process'
import { needsHostLoopback, sandboxCommand } from '../sandbox'
import type { Protection } from '../types'
import { linkNodeModules } from '../workdir'
import type { MutantDefinition } from './config'
import { writeMutants } from './mutants'

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
  /**
   * The module's files copied into the run's fresh folder (relative: the provided code and fixtures, `package.json`,
   * `tsconfig.json`, `mutants.json`); jest never runs in the module's own folder.
   */
  readonly moduleFiles: readonly string[]
  /** The learner's folder (the module's layout); the module itself for the reference. */
  readonly submissionDir: string
  /** Every learner test file present in the submission, relative to it (`test/utils.test.ts`); copied over the module's files with the files of its own they import. */
  readonly learnerFiles: readonly string[]
  /** Each mutant with the learner files its task's tests live in; written (imports made absolute) against the run's copy. */
  readonly runs: readonly { readonly mutant: MutantDefinition; readonly files: readonly string[] }[]
  /** @default 10_000 */
  readonly testTimeoutMs?: number
  /** Limit for the whole jest run. @default 300_000 */
  readonly timeoutMs?: number
  /** jest workers. @default os.availableParallelism(), at most 4 */
  readonly workers?: number
  /** jest's transform cache folder (a fresh one measures a cold run). @default jest's own */
  readonly cacheDirectory?: string
  /**
   * How mutants are kept apart: `registry` — one test file per task, each mutant loaded in its own
   * `jest.isolateModules` registry (fewer jest environments: faster); `file` — one test file per mutant (the
   * strongest isolation: a mutant that crashes its file takes nothing else with it).
   * @default 'registry'
   */
  readonly isolation?: 'registry' | 'file'
  /** Protections to leave out (the bench measures what each costs): see {@link sandboxCommand}. */
  readonly disable?: readonly string[]
}

/**
 * Results of one mutation run, keyed by the absolute path of each test file: a learner file as it is in
 * `submissionDir` (the run's copy mapped back), or a wrapper.
 */
export interface MutationRun {
  readonly files: ReadonlyMap<string, MutationFileResult>
  /** Each mutant's results (its tests' titles as in the learner's files), by mutant id; absent when it never ran. */
  readonly mutants: ReadonlyMap<string, MutationFileResult>
  readonly blocked: readonly BlockedConnection[]
  readonly timedOut: boolean
  /** jest's stderr tail when it ended badly and nothing was reported. */
  readonly stderr: string
  readonly durationMs: number
  /** What was in force around the run, and what was missing (with why): `provenance.protections`. */
  readonly protections: readonly Protection[]
}

const GRADER_RUNTIME = resolve(__dirname, '..', '..', 'runtime')
const MUTATION_RUNTIME = join(__dirname, 'runtime')

const MUTANT_PREFIX = 'mutant '
const LOAD_TEST = 'loads the learner files with this mutant'

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * One test file for all the mutants of a task: each mutant gets a `describe('mutant <id>')` in which the learner's
 * files are loaded inside `jest.isolateModules` with the mutated copy mocked in (`jest.doMock`), so its tests close
 * over that registry's modules; a load failure becomes a failing test of that mutant instead of crashing the file.
 */
function registryWrapper(task: string, mutants: readonly { id: string; original: string; path: string; files: readonly string[] }[]): string {
  return [
    `// The mutants of Task ${task}, each in its own module registry.`,
    `const MUTANTS = ${JSON.stringify(mutants, null, 2)}`,
    'for (const mutant of MUTANTS) {',
    `  describe(${JSON.stringify(MUTANT_PREFIX)} + mutant.id, () => {`,
    '    try {',
    '      jest.isolateModules(() => {',
    '        jest.doMock(mutant.original, () => jest.requireActual(mutant.path))',
    '        for (const file of mutant.files) require(file)',
    '      })',
    '    } catch (error) {',
    `      test(${JSON.stringify(LOAD_TEST)}, () => {`,
    '        throw error',
    '      })',
    '    } finally {',
    '      jest.dontMock(mutant.original)',
    '    }',
    '  })',
    '}',
    '',
  ].join('\n')
}

/** The part of a task's registry-mode results that belongs to mutant `id`, titled as in the learner's files. */
function mutantShare(result: MutationFileResult, id: string): MutationFileResult {
  const own = result.tests.filter((test) => test.titles[0] === `${MUTANT_PREFIX}${id}`)
  const load = own.find((test) => test.titles.length === 1 && test.title === LOAD_TEST && test.status === 'failed')
  return {
    file: result.file,
    execError: result.execError ?? (load === undefined ? null : (load.failure ?? 'the learner files do not load with this mutant')),
    tests: own.filter((test) => test !== load).map((test) => ({ ...test, titles: test.titles.slice(1) })),
  }
}

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
 * One jest process for a whole submission, in the grader's sandbox: a fresh copy of the module (its provided code,
 * fixtures and config, the learner's test files over them, node_modules linked) is jest's rootDir and cwd, never the
 * repository's module folder; jest runs under {@link sandboxCommand} (PID and network namespaces when root, prlimit)
 * and its process group is killed when it exits, without waiting for its pipes. The copy holds the learner's test
 * files as they are (the baseline, on the provided code) and, for each mutant, a wrapper test file (in the run's temp
 * folder) swaps the mutated copy in for its provided file (`jest.mock` with the mutant as factory, so every importer —
 * the tests, the barrel, the other provided files — gets it) and then loads the learner files of the mutant's task.
 * Each test file has its own module registry, so mutants never leak into each other; jest spreads the files over its
 * workers. The network guard is the grader's own (`tools/grader/runtime`).
 * @example const run = await runMutationJest({ moduleDir, moduleFiles: ['src/memoize.ts', 'package.json'], submissionDir, learnerFiles: ['test/utils.test.ts'], runs })
 */
export async function runMutationJest(plan: MutationRunPlan): Promise<MutationRun> {
  const moduleDir = resolve(plan.moduleDir)
  const submissionDir = resolve(plan.submissionDir)
  const temp = mkdtempSync(join(tmpdir(), 'alx-mutation-'))
  try {
    // The fresh copy: the module's files, then the learner's (with the files of their own they import).
    const workDir = join(temp, 'work', basename(moduleDir))
    for (const file of plan.moduleFiles) cpSync(join(moduleDir, file), join(workDir, file), { recursive: true })
    const moduleFiles = new Set(plan.moduleFiles)
    for (const file of reachableFiles(submissionDir, plan.learnerFiles, moduleFiles)) cpSync(join(submissionDir, file), join(workDir, file))
    linkNodeModules(moduleDir, workDir)
    const written = writeMutants(workDir, { threshold: 1, demands: [], mutants: plan.runs.map((entry) => entry.mutant) }, join(temp, 'mutant-sources'))
    const runs = plan.runs.map((entry, index) => ({ written: written[index] as (typeof written)[number], files: entry.files }))
    // Paths in the results are the copy's: report them as the submission's.
    const back = (file: string): string => (file.startsWith(`${workDir}${sep}`) ? join(submissionDir, relative(workDir, file)) : file)

    const wrappersDir = join(temp, 'mutants')
    const resultsFile = join(temp, 'results.jsonl')
    const blockedFile = join(temp, 'blocked.jsonl')
    const guardFile = join(temp, 'network-guard.cjs')
    writeFileSync(guardFile, `require(${JSON.stringify(join(GRADER_RUNTIME, 'network-guard.cjs'))}).install(${JSON.stringify(blockedFile)})\n`)

    const isolation = plan.isolation ?? 'registry'
    const wrappers = new Map<string, string>()
    mkdirSync(wrappersDir)
    if (isolation === 'file') {
      for (const { written, files } of runs) {
        const wrapper = join(wrappersDir, `${written.mutant.id}.mutant.test.js`)
        const body = [
          `// Mutant ${written.mutant.id} (Task ${written.mutant.task}): ${written.mutant.when}`,
          `jest.mock(${JSON.stringify(written.original)}, () => jest.requireActual(${JSON.stringify(written.path)}))`,
          ...files.map((file) => `require(${JSON.stringify(join(workDir, file))})`),
          '',
        ]
        writeFileSync(wrapper, body.join('\n'))
        wrappers.set(written.mutant.id, wrapper)
      }
    } else {
      const byTask = new Map<string, (typeof runs)[number][]>()
      for (const entry of runs) byTask.set(entry.written.mutant.task, [...(byTask.get(entry.written.mutant.task) ?? []), entry])
      for (const [task, entries] of byTask) {
        const wrapper = join(wrappersDir, `task-${task.replace(/[^\w.-]/g, '_')}.mutant.test.js`)
        const mutants = entries.map(({ written, files }) => ({ id: written.mutant.id, original: written.original, path: written.path, files: files.map((file) => join(workDir, file)) }))
        writeFileSync(wrapper, registryWrapper(task, mutants))
        for (const entry of entries) wrappers.set(entry.written.mutant.id, wrapper)
      }
    }

    const own = readJestConfig(moduleDir)
    const config = {
      ...own,
      rootDir: workDir,
      roots: [workDir, wrappersDir],
      testMatch: [...plan.learnerFiles.map((file) => globEscape(join(workDir, file))), `${globEscape(wrappersDir)}/*.mutant.test.js`],
      testPathIgnorePatterns: ['/node_modules/'],
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
    // In registry mode every mutant group also holds the learner's tests of the other tasks: run only its own task's.
    const byTaskIds = new Map<string, string[]>()
    for (const { written } of runs) byTaskIds.set(written.mutant.task, [...(byTaskIds.get(written.mutant.task) ?? []), written.mutant.id])
    const pattern =
      isolation === 'registry' && runs.length > 0
        ? [`--testNamePattern=^(?!${MUTANT_PREFIX})|${[...byTaskIds].map(([task, ids]) => `^${MUTANT_PREFIX}(?:${ids.map(escapeRegExp).join('|')}) Task ${escapeRegExp(task)}\\s*:`).join('|')}`]
        : []
    const timeoutMs = plan.timeoutMs ?? 300_000
    // The submission path's sandbox (src/sandbox.ts, src/process.ts): namespaces and limits where the platform has
    // them, the process group killed when jest exits.
    const sandbox = sandboxCommand(process.execPath, [jestBin, '--config', configFile, '--ci', `--maxWorkers=${workers}`, '--forceExit', '--passWithNoTests', '--silent', ...pattern], {
      needsHostLoopback: needsHostLoopback(moduleDir),
      cpuSeconds: timeoutMs / 1000 + 30,
      ...(plan.disable === undefined ? {} : { disable: plan.disable }),
    })
    const result = await runProcess(sandbox.command, sandbox.args, { cwd: workDir, env: { ...process.env, FORCE_COLOR: '0', NODE_ENV: 'test' }, timeoutMs, endOnExit: true })
    const files = new Map(readJsonLines<MutationFileResult>(resultsFile).map((entry) => [back(entry.file), { ...entry, file: back(entry.file) }]))
    const mutants = new Map<string, MutationFileResult>()
    for (const [id, wrapper] of wrappers) {
      const result = files.get(wrapper)
      if (result === undefined) continue
      mutants.set(id, isolation === 'file' ? result : mutantShare(result, id))
    }
    return {
      files,
      mutants,
      blocked: readJsonLines<BlockedConnection>(blockedFile).map((entry) => ({ ...entry, file: entry.file === null ? null : back(entry.file) })),
      timedOut: result.timedOut,
      stderr: files.size === 0 ? result.stderr.slice(-4000) : '',
      durationMs: result.durationMs,
      protections: [
        { name: 'fresh-copy', status: 'in force', detail: "the module's provided code, fixtures and config copied for this run with the learner's test files over them (node_modules linked); jest's rootDir and cwd are the copy, never the module's own folder" },
        { name: 'process-group-kill', status: process.platform === 'win32' ? 'missing' : 'in force', detail: 'the group is killed when jest exits; the grader does not wait for its pipes to close' },
        ...sandbox.protections,
        { name: 'network-guard', status: 'in force', detail: "the grader's in-process guard (TCP) and nock's refusal name the blocked connection in the learner's failing test" },
        { name: 'results-channel', status: 'missing', detail: "results come through a JSON-lines file in the run's temp folder (runtime/mutation-reporter.cjs), which the run could rewrite" },
        { name: 'tamper-detection', status: 'missing', detail: "jest's matchers are not pinned in the mutation run; mutated copies sit in the run's temp folder, which the run could rewrite" },
        { name: 'node-permission-model', status: 'missing', detail: 'not applied: jest under --experimental-permission cannot resolve its preset and needs --allow-child-process/--allow-worker, which void the model' },
        { name: 'hidden-repository-path', status: 'missing', detail: 'node_modules links into the repository, so its path is readable from the run (no mount namespace)' },
      ],
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}
