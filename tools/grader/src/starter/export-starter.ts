import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import type { CourseModule } from '../discover'
import { UsageError } from '../errors'
import { listFiles, moduleLayout } from '../layout'
import { isMutationModule, MUTATION_CONFIG } from '../mutation/config'
import { submissionFiles } from '../submission-files'
import { readTaskStatements, renderTaskTable } from '../tasks-md'
import type { TaskDefinition } from '../task-metadata'
import { isMigrated } from '../task-metadata'
import { analyzeModuleTests, TEST_FILE } from '../test-files'
import { stubSource } from './stub-source'

/** Options of {@link exportStarter}. */
export interface ExportStarterOptions {
  /** Write into a folder that is not empty. @default false */
  readonly force?: boolean
  /** `owner/name` of the course repository, for the starter's CI workflow. @default 'OWNER/alx-backend-ts' */
  readonly graderRepo?: string
  /**
   * Copy the course's workspace packages the module depends on (`@alx/db-core`) into `vendor/`, referenced by `file:`,
   * so `npm install && npm test` work in the starter on its own. The grader's own temporary starters link the
   * module's node_modules instead. @default true
   */
  readonly vendor?: boolean
}

/** The placeholder a starter's workflow and README use until the learner names the course repository. */
export const PLACEHOLDER_REPO = 'OWNER/alx-backend-ts'

const NOT_IMPLEMENTED = `/**
 * Thrown by every function of the starter until you implement it; the grader reports such a task as
 * "not implemented: <the function> (<its file>)".
 * @example throw new NotImplementedError('streamUsers', 'src/stream-users.ts', 'Task 1: Stream users')
 */
export class NotImplementedError extends Error {
  readonly code = 'NOT_IMPLEMENTED'
  /** The function, method or constructor still to write (\`streamUsers\`, \`QueryCache.constructor\`). */
  readonly stub: string
  /** Its file (\`src/stream-users.ts\`). */
  readonly file: string | null
  /** Its task (\`Task 1: Stream users\`). */
  readonly task: string | null

  constructor(stub: string, file?: string, task?: string) {
    super(file === undefined ? stub : \`not implemented: \${stub} (\${file})\`)
    this.name = 'NotImplementedError'
    this.stub = stub
    this.file = file ?? null
    this.task = task ?? null
    // While the grader runs the tests it collects the stubs each test reached, even when the code caught the error.
    const thrown = (globalThis as { [key: symbol]: unknown })[Symbol.for('alx.grader.notImplemented')]
    if (Array.isArray(thrown)) thrown.push({ stub, file: this.file, task: this.task })
  }
}
`

type JsonObject = Record<string, unknown>

function replaceConfigDir(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\{configDir\}\/?/g, './').replace(/^\.\/$/, '.')
  if (Array.isArray(value)) return value.map(replaceConfigDir)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, replaceConfigDir(inner)]))
  return value
}

function flattenTsconfig(file: string): JsonObject {
  const result = ts.readConfigFile(file, (path) => ts.sys.readFile(path))
  const raw: unknown = result.config
  if (result.error !== undefined || typeof raw !== 'object' || raw === null) return {}
  const config = raw as JsonObject
  const parents = config['extends'] === undefined ? [] : Array.isArray(config['extends']) ? config['extends'] : [config['extends']]
  let merged: JsonObject = {}
  for (const parent of parents) {
    if (typeof parent !== 'string') continue
    const path = parent.startsWith('.') || isAbsolute(parent) ? resolve(dirname(file), parent.endsWith('.json') ? parent : `${parent}.json`) : createRequire(file).resolve(parent)
    const base = flattenTsconfig(path)
    merged = { ...merged, ...base, compilerOptions: { ...(merged['compilerOptions'] as JsonObject | undefined), ...(base['compilerOptions'] as JsonObject | undefined) } }
  }
  const { extends: _extends, ...own } = config
  return { ...merged, ...own, compilerOptions: { ...(merged['compilerOptions'] as JsonObject | undefined), ...(own['compilerOptions'] as JsonObject | undefined) } }
}

function standaloneTsconfig(moduleDir: string): string {
  const flat = replaceConfigDir(flattenTsconfig(join(moduleDir, 'tsconfig.json'))) as JsonObject
  const options = { ...(flat['compilerOptions'] as JsonObject | undefined) }
  delete options['outDir']
  delete options['rootDir']
  return `${JSON.stringify({ compilerOptions: { ...options, noEmit: true }, include: flat['include'] ?? ['src'], exclude: ['node_modules', 'dist'] }, null, 2)}\n`
}

function workspaceRoot(moduleDir: string): string | null {
  for (let dir = moduleDir; dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir
  return null
}

function rootDevDependencies(moduleDir: string): Record<string, string> {
  const root = workspaceRoot(moduleDir)
  if (root === null) return {}
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }
  return pkg.devDependencies ?? {}
}

function readPackage(dir: string): JsonObject {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as JsonObject
}

// The folder of a workspace package the module depends on, found through the module's node_modules link.
function workspacePackageDir(moduleDir: string, name: string): string | null {
  try {
    return dirname(createRequire(join(moduleDir, 'package.json')).resolve(`${name}/package.json`))
  } catch {
    return null
  }
}

const TOOLING = ['typescript', 'jest', 'ts-jest', '@types/jest', '@types/node']

interface PackagePlan {
  readonly json: string
  /** Workspace packages to copy into vendor/: name → source folder. */
  readonly vendored: ReadonlyMap<string, string>
  /** The module's jest preset wants nock (the http preset). */
  readonly nock: boolean
}

function starterPackageJson(module: CourseModule, vendor: boolean): PackagePlan {
  const pkg = readPackage(module.dir)
  const dependencies = (pkg['dependencies'] ?? {}) as Record<string, string>
  const devDependencies = (pkg['devDependencies'] ?? {}) as Record<string, string>
  const root = rootDevDependencies(module.dir)
  const vendored = new Map<string, string>()
  const deps: Record<string, string> = {}
  for (const [name, version] of Object.entries(dependencies)) {
    if (!version.startsWith('workspace:')) deps[name] = version
    else {
      const dir = workspacePackageDir(module.dir, name)
      if (dir !== null) {
        vendored.set(name, dir)
        deps[name] = `file:vendor/${name.split('/').pop() ?? name}`
      }
    }
  }
  const own = (typeof pkg['jest'] === 'object' && pkg['jest'] !== null ? pkg['jest'] : {}) as JsonObject
  const nock = typeof own['preset'] === 'string' && own['preset'].endsWith('/http')
  const dev: Record<string, string> = {}
  for (const name of TOOLING) if (root[name] !== undefined) dev[name] = root[name]
  for (const [name, version] of Object.entries(devDependencies)) if (!version.startsWith('workspace:')) dev[name] = version
  if (nock) dev['nock'] = '~14.0.10'
  const { preset: _preset, reporters: _reporters, ...jestOwn } = own
  const starter = {
    name: `${module.name}-starter`,
    version: '0.0.0',
    private: true,
    description: `Starter for ${module.name}${typeof pkg['description'] === 'string' ? `: ${pkg['description']}` : ''}`,
    engines: pkg['engines'] ?? { node: '>=20.19' },
    scripts: { test: 'jest', typecheck: 'tsc --noEmit' },
    dependencies: deps,
    devDependencies: dev,
    jest: {
      testEnvironment: 'node',
      transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/vendor/'],
      testTimeout: 30_000,
      ...(nock ? { setupFilesAfterEnv: ['<rootDir>/jest.nock-setup.js'] } : {}),
      ...jestOwn,
    },
    alx: {
      module: module.name,
      package: module.packageName,
      grade: `pnpm grade ${module.name} --submission <this folder>   (from a checkout of the course repository)`,
    },
  }
  if (!vendor) vendored.clear()
  return { json: `${JSON.stringify(starter, null, 2)}\n`, vendored, nock }
}

// A workspace package as a plain folder package: its package.json without workspace links or dev tooling, its sources.
function vendorPackage(name: string, dir: string, write: (rel: string, text: string) => void, copy: (from: string, rel: string) => void, seen: Set<string>): void {
  if (seen.has(name)) return
  seen.add(name)
  const folder = `vendor/${name.split('/').pop() ?? name}`
  const pkg = readPackage(dir)
  const dependencies = { ...((pkg['dependencies'] ?? {}) as Record<string, string>) }
  for (const [dep, version] of Object.entries(dependencies)) {
    if (!version.startsWith('workspace:')) continue
    const depDir = workspacePackageDir(dir, dep)
    if (depDir === null) continue
    dependencies[dep] = `file:../${dep.split('/').pop() ?? dep}`
    vendorPackage(dep, depDir, write, copy, seen)
  }
  const { devDependencies: _dev, scripts: _scripts, jest: _jest, ...rest } = pkg
  write(`${folder}/package.json`, `${JSON.stringify({ ...rest, dependencies }, null, 2)}\n`)
  for (const rel of listFiles(dir)) {
    if (!rel.startsWith('src/') || TEST_FILE.test(rel)) continue
    copy(join(dir, rel), `${folder}/${rel}`)
  }
  if (existsSync(join(dir, 'README.md'))) copy(join(dir, 'README.md'), `${folder}/README.md`)
}

function taskTable(tasks: readonly TaskDefinition[]): string {
  const rows = tasks.map((task) => `| ${task.id} | ${task.title} | ${task.points} | ${task.kind} | ${task.files.map((file) => `\`${file}\``).join(', ')} |`)
  return ['| Task | Title | Points | Kind | Files |', '| --- | --- | --- | --- | --- |', ...rows].join('\n')
}

function howToWork(module: CourseModule, graderRepo: string | undefined, migrated: boolean): string {
  const repo = graderRepo ?? PLACEHOLDER_REPO
  const oneTask = migrated ? (module.manifest?.tasks[0]?.tests?.[0] ?? null) : null
  return `## How to work

1. **Install** (Node.js 20.19 or newer): \`npm install\`
${
  isMutationModule(module.dir)
    ? `2. **Write** the test files of each task (${[...new Set((module.manifest?.tasks ?? []).flatMap((task) => task.files))].map((file) => `\`${file}\``).join(', ')}): the code in \`src/\` is
   provided and works. Your tests are graded by running them: they must pass on this code and fail on each of the
   task's mutants (named faults of the code, listed by the grader when one survives).`
    : `2. **Write** the files of a task: every function you must write throws \`NotImplementedError\` until you do.
   ${migrated ? 'Everything else in this folder is provided and works.' : ''}`
}
3. **Run the visible tests** here: \`npm test\` (all of them)${oneTask === null ? '' : `, \`npx jest ${oneTask}\` (one task)`}, and
   \`npm run typecheck\`. They are the official tests: the grader runs the same ones. Database tests use SQLite; set
   \`MYSQL_URL=mysql://root@127.0.0.1:3306/test\` to run them on MariaDB too.
4. **Grade locally**, offline, the same grade CI gives — from a checkout of the course repository:

   \`\`\`sh
   pnpm install
   pnpm grade ${module.name} --submission path/to/this/folder
   \`\`\`

   It prints a scoreboard (every failing test with expected and actual; \`--verbose\` for the full messages) and
   writes \`grade.json\` and \`junit.xml\` to \`reports/\` in this folder (or \`--out <dir>\`).
5. **Grade on GitHub**: push this folder as a repository. \`.github/workflows/grade.yml\` calls the course's
   reusable grading workflow in \`${repo}\`${graderRepo === undefined ? ` — **replace \`${PLACEHOLDER_REPO}\` there with the course repository's \`owner/name\`** (both lines)` : ''}; the
   scoreboard appears in the run's summary.
`
}

function starterReadme(module: CourseModule, original: string | null, graderRepo: string | undefined): string {
  const tasks = module.manifest?.tasks ?? []
  const statements = readTaskStatements(module.dir)
  if (module.manifest !== null && statements !== null) {
    const intro = statements.intro === '' ? `# ${module.name}: ${module.manifest.title}` : statements.intro
    const sections = statements.tasks.map((task) => `## Task ${task.id}: ${task.title}\n\n${task.body}`)
    return `${intro}

## Tasks

${renderTaskTable(module.manifest, { points: true })}

${sections.join('\n\n')}

${howToWork(module, graderRepo, true)}`
  }
  return `${original === null ? `# ${module.name}\n` : original.trimEnd()}

## Starter: your tasks

Every function below throws \`NotImplementedError\` until you write it. The tests in this folder are the official,
visible tests; the grader runs the same ones.

${taskTable(tasks)}

${howToWork(module, graderRepo, false)}`
}

function workflow(module: CourseModule, graderRepo: string | undefined): string {
  const repo = graderRepo ?? PLACEHOLDER_REPO
  return `# Grades this submission with the course's official tests; the scoreboard appears in the run's summary.
name: grade
on: [push, pull_request, workflow_dispatch]
jobs:
  grade:
    # ${graderRepo === undefined ? `Replace ${PLACEHOLDER_REPO} (here and below) with the course repository's owner/name.` : 'The course repository (owner/name) and the ref to grade against.'}
    uses: ${repo}/.github/workflows/grade.yml@main
    with:
      module: ${module.name}
      grader-repository: ${repo}
`
}

/**
 * The closing lines \`pnpm starter\` prints: what to do next in the exported folder.
 * @example process.stdout.write(nextSteps(module, 'my-work', undefined))
 */
export function nextSteps(module: CourseModule, shownDir: string, graderRepo: string | undefined): string {
  const lines = [
    'Next steps:',
    `  cd ${shownDir}`,
    '  npm install',
    isMutationModule(module.dir)
      ? '  npm test                      # your tests, on the provided code (write test/… for each task: none are given)'
      : '  npm test                      # the visible tests (every task fails with "not implemented" until you write it)',
    `  # grade from a checkout of the course repository: pnpm grade ${module.name} --submission ${shownDir}`,
  ]
  if (graderRepo === undefined) {
    lines.push(`  # before pushing: replace ${PLACEHOLDER_REPO} in .github/workflows/grade.yml and README.md with the course repository (or export again with --grader-repo owner/name)`)
  }
  return `${lines.join('\n')}\n`
}

function taskFor(module: CourseModule, file: string, importers: ReadonlyMap<string, ReadonlySet<string>>): TaskDefinition | null {
  const tasks = module.manifest?.tasks ?? []
  const declared = tasks.find((task) => task.files.includes(file))
  if (declared !== undefined) return declared
  const ids = importers.get(file)
  return tasks.find((task) => ids?.has(task.id) === true) ?? null
}

// Which tasks' tests import each source file (for modules whose tasks.json lists no files).
function importersOf(module: CourseModule): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>()
  for (const analysis of analyzeModuleTests(module.dir)) {
    const ids = new Set(analysis.tests.map((test) => test.taskId).filter((id): id is string => id !== null))
    const text = readFileSync(join(module.dir, analysis.file), 'utf8')
    for (const match of text.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const base = join(dirname(analysis.file), match[1] ?? '')
      for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
        const rel = relative('.', candidate).split('\\').join('/')
        if (!existsSync(join(module.dir, rel))) continue
        const set = result.get(rel) ?? new Set<string>()
        for (const id of ids) set.add(id)
        result.set(rel, set)
        break
      }
    }
  }
  return result
}

function notImplementedImport(rel: string): string {
  const importFrom = relative(dirname(rel), 'src/not-implemented').split('\\').join('/')
  return importFrom.startsWith('.') ? importFrom : `./${importFrom}`
}

/**
 * `pnpm starter <module> --out <dir>`: exports a learner starter — README with the task statements (from tasks.md)
 * and how to work, the public API of each task's entry points with every body replaced by
 * `throw new NotImplementedError('<function>', '<file>', 'Task N: …')` (rewritten with the TypeScript compiler API,
 * inferred return types kept, what the stubs no longer use dropped), the provided files working, the visible (graded)
 * tests, a standalone package.json (jest, ts-jest, TypeScript, the drivers, the course's workspace packages vendored
 * under vendor/) and tsconfig, and a CI workflow calling the course's reusable grading workflow. A module without
 * graded task tests (tasks.json with no `tests`) keeps the older layout: the whole module, task files stubbed.
 * Returns the files written, relative to `outDir`.
 * @example exportStarter(module, '/tmp/generators-starter') // ['README.md', 'package.json', 'src/seed.ts', …]
 */
export function exportStarter(module: CourseModule, outDir: string, options: ExportStarterOptions = {}): string[] {
  const out = resolve(outDir)
  const fromModule = relative(module.dir, out)
  if (fromModule === '' || (!fromModule.startsWith('..') && !isAbsolute(fromModule))) {
    throw new UsageError(`Expected \`--out\` to be outside the module, got ${JSON.stringify(outDir)}.`)
  }
  if (existsSync(out) && readdirSync(out).length > 0 && options.force !== true) {
    throw new UsageError(`Expected \`--out\` to be an empty or new folder, got ${JSON.stringify(outDir)} (pass --force to write into it).`)
  }
  if (module.manifest === null) throw new UsageError(`${module.name}: ${module.manifestError ?? 'tasks.json is broken'}`)
  const migrated = isMigrated(module.manifest)
  // A module whose learners write the tests (mutants.json): the provided code and fixtures, never a test (the
  // tasks' files are the answers; the package's own tests and solutions/ test the same behaviours), nothing stubbed.
  const mutation = isMutationModule(module.dir)
  const layout = migrated || mutation ? moduleLayout(module) : null
  const stubs = mutation ? new Set<string>() : new Set((layout?.entryPoints ?? submissionFiles(module)).filter((file) => /\.[cm]?tsx?$/.test(file)))
  const importers = migrated ? new Map<string, Set<string>>() : importersOf(module)
  const configFile = join(module.dir, 'tsconfig.json')
  const parsed = existsSync(configFile) ? ts.getParsedCommandLineOfConfigFile(configFile, { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined }) : undefined
  const program = ts.createProgram({ rootNames: [...stubs].map((file) => join(module.dir, file)), options: parsed?.options ?? { strict: true } })
  const checker = program.getTypeChecker()

  const written: string[] = []
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(out, rel)), { recursive: true })
    writeFileSync(join(out, rel), text)
    written.push(rel)
  }
  const copy = (from: string, rel: string): void => {
    mkdirSync(dirname(join(out, rel)), { recursive: true })
    copyFileSync(from, join(out, rel))
    written.push(rel)
  }
  const plan = starterPackageJson(module, options.vendor !== false)
  // Migrated modules: entry points, provided files, graded tests and the task metadata only.
  const starterFiles =
    layout === null
      ? null
      : mutation
        ? new Set([...layout.provided.filter((file) => !TEST_FILE.test(file)), 'tasks.json', 'tasks.md', MUTATION_CONFIG])
        : new Set([...layout.entryPoints, ...layout.provided, ...layout.gradedTests, 'tasks.json', 'tasks.md'])
  let needsErrorClass = false
  for (const rel of listFiles(module.dir)) {
    const source = join(module.dir, rel)
    if (rel === 'README.md') write(rel, starterReadme(module, readFileSync(source, 'utf8'), options.graderRepo))
    else if (rel === 'package.json') write(rel, plan.json)
    else if (rel === 'tsconfig.json') write(rel, standaloneTsconfig(module.dir))
    else if (starterFiles !== null && !starterFiles.has(rel)) continue
    else if (rel === 'tsconfig.build.json' || rel === 'eslint.config.mjs') continue
    else if (stubs.has(rel)) {
      const task = taskFor(module, rel, importers)
      const sourceFile = program.getSourceFile(source)
      const { text } = stubSource(rel, readFileSync(source, 'utf8'), {
        message: task === null ? `${rel} is not implemented` : `Task ${task.id}: ${task.title}`,
        file: rel,
        prune: migrated,
        importFrom: notImplementedImport(rel),
        checker,
        ...(sourceFile === undefined ? {} : { sourceFile }),
      })
      needsErrorClass ||= text.includes('NotImplementedError')
      write(rel, text)
    } else copy(source, rel)
  }
  if (!existsSync(join(module.dir, 'README.md'))) write('README.md', starterReadme(module, null, options.graderRepo))
  if (needsErrorClass && !existsSync(join(module.dir, 'src/not-implemented.ts'))) write('src/not-implemented.ts', NOT_IMPLEMENTED)
  const seen = new Set<string>()
  for (const [name, dir] of plan.vendored) vendorPackage(name, dir, write, copy, seen)
  if (plan.nock) write('jest.nock-setup.js', readFileSync(createRequire(__filename).resolve('@alx/jest-presets/nock-setup.js'), 'utf8'))
  write('.github/workflows/grade.yml', workflow(module, options.graderRepo))
  write('.gitignore', 'node_modules/\ndist/\ncoverage/\nreports/\n')
  return written.sort()
}
