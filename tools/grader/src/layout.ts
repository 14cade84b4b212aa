import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { CourseModule } from './discover'
import type { TaskManifest } from './task-metadata'
import { gradedTestFiles, isMigrated } from './task-metadata'
import type { TestFileAnalysis } from './test-files'
import { analyzeModuleTests, analyzeTestSource, TEST_FILE } from './test-files'

/** Folders never part of a module's files (build output, caches, installs). */
export const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'reports', '.turbo', '.git', '.data'])
/** Files never copied anywhere (databases, logs, secrets, build info). */
export const SKIP_FILE = /(\.tsbuildinfo|\.db|\.sqlite|\.sqlite-journal|\.db-wal|\.db-shm|\.log)$|^\.env/

/**
 * Every file of a folder, relative and sorted, without build output, installs, databases and logs.
 * @example listFiles('/repo/packages/generators-0x00') // ['README.md', 'package.json', 'src/index.ts', …]
 */
export function listFiles(dir: string, relativeDir = '', skipDirs: ReadonlySet<string> = SKIP_DIRS): string[] {
  if (!existsSync(join(dir, relativeDir))) return []
  return readdirSync(join(dir, relativeDir))
    .sort()
    .flatMap((entry) => {
      const rel = relativeDir === '' ? entry : `${relativeDir}/${entry}`
      const stat = statSync(join(dir, rel), { throwIfNoEntry: false })
      if (stat === undefined) return []
      if (stat.isDirectory()) return skipDirs.has(entry) ? [] : listFiles(dir, rel, skipDirs)
      return SKIP_FILE.test(entry) ? [] : [rel]
    })
}

/**
 * A `provided` entry as a regular expression over relative paths: `*` within a segment, `**` across segments, and a
 * plain folder path (`test/fixtures`, `test/fixtures/`) for everything under it.
 * @example globPattern('test/**').test('test/fixtures.ts') // true
 */
export function globPattern(glob: string, isFolder = false): RegExp {
  const clean = glob.replace(/^\.\//, '').replace(/\/+$/, '')
  let pattern = ''
  for (let index = 0; index < clean.length; index += 1) {
    const char = clean[index] ?? ''
    if (char === '*' && clean[index + 1] === '*') {
      const slash = clean[index + 2] === '/'
      pattern += slash ? '(?:.*/)?' : '.*'
      index += slash ? 2 : 1
    } else if (char === '*') pattern += '[^/]*'
    else if (char === '?') pattern += '[^/]'
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${pattern}${isFolder || glob.endsWith('/') ? '(?:/.*)?' : ''}$`)
}

/** What a migrated module's starter holds, and where each file comes from. */
export interface ModuleLayout {
  /** Every task's entry points (non-test `files`): what the starter stubs and a submission supplies. */
  readonly entryPoints: readonly string[]
  /** Files copied into the starter working (`provided`, expanded), entry points and graded tests excluded. */
  readonly provided: readonly string[]
  /** The graded test files, in task order. */
  readonly gradedTests: readonly string[]
  /** `provided` entries that match no file. */
  readonly unmatched: readonly string[]
}

/**
 * The layout of a migrated module (issue 12): entry points, provided files (globs expanded over the module's files)
 * and graded tests.
 * @example moduleLayout(module).provided // ['src/errors.ts', 'test/fixtures.ts']
 */
export function moduleLayout(module: CourseModule): ModuleLayout {
  return layoutOf(module.dir, module.manifest)
}

/**
 * {@link moduleLayout} from a folder and a manifest.
 * @example layoutOf('/repo/packages/generators-0x00', manifest)
 */
export function layoutOf(dir: string, manifest: TaskManifest | null): ModuleLayout {
  const entryPoints = [...new Set((manifest?.tasks ?? []).flatMap((task) => task.files))].filter((file) => !TEST_FILE.test(file)).sort()
  const gradedTests = gradedTestFiles(manifest)
  const all = listFiles(dir)
  const taken = new Set([...entryPoints, ...gradedTests])
  const provided = new Set<string>()
  const unmatched: string[] = []
  for (const entry of manifest?.provided ?? []) {
    const folder = existsSync(join(dir, entry)) && statSync(join(dir, entry)).isDirectory()
    const pattern = globPattern(entry, folder)
    const matched = all.filter((file) => pattern.test(file))
    if (matched.length === 0) unmatched.push(entry)
    for (const file of matched) if (!taken.has(file)) provided.add(file)
  }
  return { entryPoints, provided: [...provided].sort(), gradedTests, unmatched }
}

/**
 * Whether grading a module takes the issue-12 path (graded task tests, starter-based submissions).
 * @example usesTaskTests(module) // true
 */
export function usesTaskTests(module: CourseModule): boolean {
  return isMigrated(module.manifest)
}

/**
 * The test files a module's grade reads: its graded task tests (issue 12), or every test file of a module that
 * names none.
 * @example analyzeGradedTests(module).map((analysis) => analysis.file) // ['test/tasks/task-0.test.ts', …]
 */
export function analyzeGradedTests(module: CourseModule, dir: string = module.dir): TestFileAnalysis[] {
  if (!isMigrated(module.manifest)) return analyzeModuleTests(dir)
  return gradedTestFiles(module.manifest)
    .filter((file) => existsSync(join(dir, file)))
    .map((file) => analyzeTestSource(file, readFileSync(join(dir, file), 'utf8')))
}
