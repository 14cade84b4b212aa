import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative, resolve, sep } from 'node:path'
import { UsageError } from './errors'
import type { TaskManifest } from './task-metadata'
import { readTaskManifest } from './task-metadata'

/** A course module: a workspace package with a `tasks.json`. */
export interface CourseModule {
  /** The module name from `tasks.json` (`generators-0x00`). */
  readonly name: string
  /** Absolute package directory. */
  readonly dir: string
  /** Package directory relative to the repository root, with `/` separators (`packages/generators-0x00`). */
  readonly relativeDir: string
  /** The package.json name (`@alx/generators-0x00`). */
  readonly packageName: string
  /** The validated task list, or `null` when `tasks.json` is broken (see `manifestError`). */
  readonly manifest: TaskManifest | null
  readonly manifestError: string | null
}

/** Where course modules live, relative to the repository root. */
export const MODULE_PARENTS = ['packages', 'apps'] as const

function toPosix(path: string): string {
  return path.split(sep).join('/')
}

/**
 * Loads the module in `dir` (a package folder holding `tasks.json`); a broken task list is recorded, not thrown.
 * @example const module = loadModule('/repo/packages/generators-0x00', '/repo')
 */
export function loadModule(dir: string, root: string): CourseModule {
  const absolute = resolve(dir)
  let packageName = basename(absolute)
  try {
    const pkg = JSON.parse(readFileSync(join(absolute, 'package.json'), 'utf8')) as { name?: unknown }
    if (typeof pkg.name === 'string') packageName = pkg.name
  } catch {
    // A module without package.json is still graded by folder name; turbo will not know it, which the run reports.
  }
  try {
    const manifest = readTaskManifest(absolute)
    return { name: manifest.module, dir: absolute, relativeDir: toPosix(relative(root, absolute)), packageName, manifest, manifestError: null }
  } catch (error) {
    return { name: basename(absolute), dir: absolute, relativeDir: toPosix(relative(root, absolute)), packageName, manifest: null, manifestError: (error as Error).message }
  }
}

/**
 * Every course module of the repository: each `packages/*` and `apps/*` folder holding a `tasks.json`, in path order.
 * @example discoverModules('/repo').map((module) => module.name) // ['context-async-0x02', 'generators-0x00', …]
 */
export function discoverModules(root: string): CourseModule[] {
  const modules: CourseModule[] = []
  for (const parent of MODULE_PARENTS) {
    const parentDir = join(root, parent)
    if (!existsSync(parentDir)) continue
    for (const entry of readdirSync(parentDir).sort()) {
      const dir = join(parentDir, entry)
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'tasks.json'))) modules.push(loadModule(dir, root))
    }
  }
  return modules
}

/**
 * The module a command-line argument names: its `tasks.json` name, folder name, package name or path (from `cwd`).
 * @example findModule(discoverModules(root), 'generators-0x00', root)
 */
export function findModule(modules: readonly CourseModule[], wanted: string, root: string, cwd: string = root): CourseModule {
  const byPath = resolve(cwd, wanted)
  const found = modules.find(
    (module) => module.name === wanted || basename(module.dir) === wanted || module.packageName === wanted || module.dir === byPath,
  )
  if (found !== undefined) return found
  if (existsSync(join(byPath, 'tasks.json'))) return loadModule(byPath, root)
  const known = modules.map((module) => module.name).join(', ') || 'none (no packages/*/tasks.json or apps/*/tasks.json yet)'
  throw new UsageError(`Unknown module ${JSON.stringify(wanted)}; known modules: ${known}.`)
}
