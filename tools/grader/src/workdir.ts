import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { CourseModule } from './discover'
import { reachableFiles } from './imports'
import { moduleLayout } from './layout'
import { exportStarter } from './starter/export-starter'

/**
 * Links into `dir/node_modules` every package the module can resolve: its own node_modules first, then each parent
 * folder's (the workspace root's hoisted tools and `@types`), as Node and TypeScript would find them from the module.
 * @example linkNodeModules(module.dir, '/tmp/alx-starter-x')
 */
export function linkNodeModules(moduleDir: string, dir: string): void {
  const target = join(dir, 'node_modules')
  mkdirSync(target, { recursive: true })
  const taken = new Set<string>()
  for (let from = moduleDir; ; from = dirname(from)) {
    const source = join(from, 'node_modules')
    if (existsSync(source)) {
      for (const entry of readdirSync(source)) {
        if (entry.startsWith('.')) continue
        const names = entry.startsWith('@') ? readdirSync(join(source, entry)).map((inner) => `${entry}/${inner}`) : [entry]
        for (const name of names) {
          if (taken.has(name)) continue
          taken.add(name)
          mkdirSync(dirname(join(target, name)), { recursive: true })
          symlinkSync(join(source, name), join(target, name), 'dir')
        }
      }
    }
    if (existsSync(join(from, 'pnpm-workspace.yaml')) || dirname(from) === from) break
  }
}

/** A temporary copy of a module's starter, for grading. */
export interface StarterBase {
  readonly module: CourseModule
  /** The exported starter (no node_modules). */
  readonly dir: string
  readonly dispose: () => void
}

/**
 * Exports the module's starter (stubs, provided files, graded tests) once into a temp folder, to build graded
 * working folders from ({@link makeWorkdir}).
 * @example const base = prepareStarterBase(module); try { … } finally { base.dispose() }
 */
export function prepareStarterBase(module: CourseModule): StarterBase {
  const temp = mkdtempSync(join(tmpdir(), 'alx-starter-'))
  const dir = join(temp, module.name)
  exportStarter(module, dir, { vendor: false })
  return { module, dir, dispose: () => rmSync(temp, { recursive: true, force: true }) }
}

/** A graded working folder: the starter with some files replaced. */
export interface Workdir {
  readonly dir: string
  /** The files copied over the starter, relative (what compile errors are looked for in). */
  readonly overlaid: readonly string[]
  readonly dispose: () => void
}

/**
 * A fresh working folder: a copy of the starter base, `overlay` (relative path → source file) copied over it, and
 * the module's packages linked in `node_modules`. The reference's other files are never there.
 * @example const work = makeWorkdir(base, new Map([['src/seed.ts', '/tmp/me/src/seed.ts']]))
 */
export function makeWorkdir(base: StarterBase, overlay: ReadonlyMap<string, string>): Workdir {
  const temp = mkdtempSync(join(tmpdir(), 'alx-work-'))
  const dir = join(temp, base.module.name)
  cpSync(base.dir, dir, { recursive: true })
  for (const [rel, source] of overlay) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    // By content: a link is never copied as a link (the overlay holds none, see isLinked).
    copyFileSync(source, join(dir, rel))
  }
  linkNodeModules(base.module.dir, dir)
  return { dir, overlaid: [...overlay.keys()].sort(), dispose: () => rmSync(temp, { recursive: true, force: true }) }
}

/**
 * Whether `rel` in `dir`, or a folder on its way there, is a symbolic link: such a file is refused (never followed),
 * since it could point at the reference, another submission or anything else on the machine.
 * @example isLinked('/tmp/me', 'src/add.ts') // true when src/add.ts → ../../packages/…/src/add.ts
 */
export function isLinked(dir: string, rel: string): boolean {
  let path = dir
  for (const part of rel.split('/')) {
    path = join(path, part)
    try {
      if (lstatSync(path).isSymbolicLink()) return true
    } catch {
      return false
    }
  }
  return false
}

/**
 * What a submission folder puts over the starter: its entry points, plus the files of its own they import (a
 * learner's helpers, or the reference's private ones), never the provided files or graded tests, which always come
 * from the module. `only` limits the entry points taken (one task's, for the each-task-alone check).
 * @example submissionOverlay(module, '/tmp/me').keys() // ['src/seed.ts', 'src/my-helper.ts']
 */
export function submissionOverlay(module: CourseModule, submissionDir: string, only?: readonly string[]): Map<string, string> {
  const layout = moduleLayout(module)
  const entry = new Set(layout.entryPoints)
  const roots = (only ?? layout.entryPoints).filter((file) => existsSync(join(submissionDir, file)) && !isLinked(submissionDir, file))
  // Other tasks' entry points stay stubs when only some are taken.
  const stop = new Set([...layout.provided, ...layout.gradedTests, ...layout.entryPoints.filter((file) => !roots.includes(file))])
  const files = reachableFiles(submissionDir, roots, stop).filter((file) => (roots.includes(file) || !entry.has(file)) && !isLinked(submissionDir, file))
  return new Map(files.map((file) => [file, join(submissionDir, file)]))
}
