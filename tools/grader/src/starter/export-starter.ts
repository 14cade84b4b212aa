import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import type { CourseModule } from '../discover'
import { UsageError } from '../errors'
import { submissionFiles } from '../submission-files'
import type { TaskDefinition } from '../task-metadata'
import { analyzeModuleTests } from '../test-files'
import { stubSource } from './stub-source'

/** Options of {@link exportStarter}. */
export interface ExportStarterOptions {
  /** Write into a folder that is not empty. @default false */
  readonly force?: boolean
  /** `owner/name` of the course repository, for the starter's CI workflow. @default 'OWNER/alx-backend-ts' */
  readonly graderRepo?: string
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'reports', '.turbo', '.git', '.data'])
const SKIP_FILE = /(\.tsbuildinfo|\.db|\.sqlite|\.sqlite-journal|\.db-wal|\.db-shm|\.log)$|^\.env/

const NOT_IMPLEMENTED = `/**
 * Thrown by every function of the starter until you implement it; the grader reports such a task as "not implemented".
 * @example throw new NotImplementedError('Task 0: Seed the database')
 */
export class NotImplementedError extends Error {
  readonly code = 'NOT_IMPLEMENTED'

  constructor(task: string) {
    super(task)
    this.name = 'NotImplementedError'
  }
}
`

function listFiles(dir: string, relativeDir = ''): string[] {
  return readdirSync(join(dir, relativeDir))
    .sort()
    .flatMap((entry) => {
      const rel = relativeDir === '' ? entry : `${relativeDir}/${entry}`
      if (statSync(join(dir, rel)).isDirectory()) return SKIP_DIRS.has(entry) ? [] : listFiles(dir, rel)
      return SKIP_FILE.test(entry) ? [] : [rel]
    })
}

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

function rootDevDependencies(moduleDir: string): Record<string, string> {
  for (let dir = moduleDir; dirname(dir) !== dir; dir = dirname(dir)) {
    if (!existsSync(join(dir, 'pnpm-workspace.yaml'))) continue
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }
    return pkg.devDependencies ?? {}
  }
  return {}
}

function starterPackageJson(module: CourseModule): string {
  const pkg = JSON.parse(readFileSync(join(module.dir, 'package.json'), 'utf8')) as JsonObject
  const dependencies = (pkg['dependencies'] ?? {}) as Record<string, string>
  const outside = Object.fromEntries(Object.entries(dependencies).filter(([, version]) => !version.startsWith('workspace:')))
  const workspace = Object.keys(dependencies).filter((name) => dependencies[name]?.startsWith('workspace:'))
  const root = rootDevDependencies(module.dir)
  const tools = Object.fromEntries(['typescript', 'jest', 'ts-jest', '@types/jest', '@types/node'].filter((name) => root[name] !== undefined).map((name) => [name, root[name]]))
  const starter = {
    name: `${module.name}-starter`,
    version: '0.0.0',
    private: true,
    description: `Starter for ${module.name}${typeof pkg['description'] === 'string' ? `: ${pkg['description']}` : ''}`,
    scripts: { test: 'jest', typecheck: 'tsc --noEmit' },
    dependencies: outside,
    devDependencies: tools,
    jest: {
      testEnvironment: 'node',
      transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] },
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    },
    alx: {
      module: module.name,
      package: module.packageName,
      grade: `pnpm grade ${module.name} --submission <this folder>   (from a checkout of the course repository)`,
      ...(workspace.length > 0 ? { courseDependencies: workspace } : {}),
    },
  }
  return `${JSON.stringify(starter, null, 2)}\n`
}

function taskTable(tasks: readonly TaskDefinition[]): string {
  const rows = tasks.map((task) => `| ${task.id} | ${task.title} | ${task.points} | ${task.kind} | ${task.files.map((file) => `\`${file}\``).join(', ')} |`)
  return ['| Task | Title | Points | Kind | Files |', '| --- | --- | --- | --- | --- |', ...rows].join('\n')
}

function starterReadme(module: CourseModule, original: string | null): string {
  const tasks = module.manifest?.tasks ?? []
  return `${original === null ? `# ${module.name}\n` : original.trimEnd()}

## Starter: your tasks

Every function below throws \`NotImplementedError\` until you write it. The tests in this folder are the official,
visible tests; the grader runs the same ones.

${taskTable(tasks)}

Grade your work from a checkout of the course repository (offline, the same grade CI gives):

\`\`\`sh
pnpm install
pnpm grade ${module.name} --submission path/to/this/folder
\`\`\`

or push to GitHub: \`.github/workflows/grade.yml\` calls the course's reusable grading workflow and publishes the
scoreboard in the run's summary.
`
}

function workflow(module: CourseModule, graderRepo: string): string {
  return `# Grades this submission with the course's official tests; the scoreboard appears in the run's summary.
name: grade
on: [push, pull_request, workflow_dispatch]
jobs:
  grade:
    # Point this at the course repository (owner/name) and the ref to grade against.
    uses: ${graderRepo}/.github/workflows/grade.yml@main
    with:
      module: ${module.name}
      grader-repository: ${graderRepo}
`
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

/**
 * `pnpm starter <module> --out <dir>`: exports a learner starter — README with the task list, tasks.json, the public
 * API with every body replaced by `throw new NotImplementedError('Task N: …')` (rewritten with the TypeScript
 * compiler API, inferred return types kept), the visible tests, a standalone package.json and tsconfig, and a CI
 * workflow calling the course's reusable grading workflow. Returns the files written, relative to `outDir`.
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
  const stubs = new Set(submissionFiles(module).filter((file) => /\.[cm]?tsx?$/.test(file)))
  const importers = importersOf(module)
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
  let needsErrorClass = false
  for (const rel of listFiles(module.dir)) {
    const source = join(module.dir, rel)
    if (rel === 'README.md') write(rel, starterReadme(module, readFileSync(source, 'utf8')))
    else if (rel === 'package.json') write(rel, starterPackageJson(module))
    else if (rel === 'tsconfig.json') write(rel, standaloneTsconfig(module.dir))
    else if (rel === 'tsconfig.build.json' || rel === 'eslint.config.mjs') continue
    else if (stubs.has(rel)) {
      const task = taskFor(module, rel, importers)
      const importFrom = relative(dirname(rel), 'src/not-implemented').split('\\').join('/')
      const sourceFile = program.getSourceFile(source)
      const { text } = stubSource(rel, readFileSync(source, 'utf8'), {
        message: task === null ? `${rel} is not implemented` : `Task ${task.id}: ${task.title}`,
        importFrom: importFrom.startsWith('.') ? importFrom : `./${importFrom}`,
        checker,
        ...(sourceFile === undefined ? {} : { sourceFile }),
      })
      needsErrorClass ||= text.includes('NotImplementedError')
      write(rel, text)
    } else {
      mkdirSync(dirname(join(out, rel)), { recursive: true })
      copyFileSync(source, join(out, rel))
      written.push(rel)
    }
  }
  if (!existsSync(join(module.dir, 'README.md'))) write('README.md', starterReadme(module, null))
  if (needsErrorClass && !existsSync(join(module.dir, 'src/not-implemented.ts'))) write('src/not-implemented.ts', NOT_IMPLEMENTED)
  write('.github/workflows/grade.yml', workflow(module, options.graderRepo ?? 'OWNER/alx-backend-ts'))
  write('.gitignore', 'node_modules/\ndist/\ncoverage/\nreports/\n')
  return written.sort()
}
