// A scratch copy of the repository for running README commands: the working tree's files (tracked, and new
// files not ignored), each workspace package's node_modules rebuilt from its symlinks (so workspace packages
// resolve inside the copy) over the original's package store. Nothing the commands do reaches the repository.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A scratch copy; `dispose()` removes it. */
export interface Scratch {
  /** The folder holding the copy (`<dir>/repo`) and room beside it (`../my-work` lands in `<dir>`). */
  readonly dir: string
  /** The copy of the repository. */
  readonly repo: string
  dispose(): void
  [Symbol.dispose](): void
}

/** The repository's files as git sees them in the working tree: tracked (and still present) and new, not ignored. */
export function workingTreeFiles(repoRoot: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return [...new Set(out.split('\0').filter((f) => f !== ''))].filter((f) => existsSync(path.join(repoRoot, f)))
}

function copyTree(from: string, to: string, store: { original: string; copy: string }): void {
  mkdirSync(to, { recursive: true })
  for (const entry of readdirSync(from)) {
    const source = path.join(from, entry)
    const target = path.join(to, entry)
    if (source === store.original) {
      symlinkSync(source, target, 'dir')
      continue
    }
    const stat = lstatSync(source)
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target)
    else if (stat.isDirectory()) copyTree(source, target, store)
    else copyFileSync(source, target)
  }
}

/** The workspace folders that have a node_modules: the root and every packages/*, apps/*, tools/* package. */
function workspaceDirs(repoRoot: string): string[] {
  const dirs = ['']
  for (const group of ['packages', 'apps', 'tools']) {
    const base = path.join(repoRoot, group)
    if (!existsSync(base)) continue
    for (const name of readdirSync(base)) dirs.push(path.join(group, name))
  }
  return dirs.filter((d) => existsSync(path.join(repoRoot, d, 'node_modules')))
}

/**
 * Copies the repository into a new temp folder.
 * @example
 * using scratch = makeScratch(repoRoot)
 * execSync('pnpm --filter @alx/generators-0x00 start 1', { cwd: scratch.repo })
 */
export function makeScratch(repoRoot: string): Scratch {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-docs-check-'))
  const repo = path.join(dir, 'repo')
  for (const file of workingTreeFiles(repoRoot)) {
    const target = path.join(repo, file)
    mkdirSync(path.dirname(target), { recursive: true })
    const source = path.join(repoRoot, file)
    if (lstatSync(source).isSymbolicLink()) symlinkSync(readlinkSync(source), target)
    else copyFileSync(source, target)
  }
  const store = { original: path.join(repoRoot, 'node_modules', '.pnpm'), copy: path.join(repo, 'node_modules', '.pnpm') }
  for (const ws of workspaceDirs(repoRoot)) copyTree(path.join(repoRoot, ws, 'node_modules'), path.join(repo, ws, 'node_modules'), store)
  const dispose = (): void => rmSync(dir, { recursive: true, force: true })
  return { dir, repo, dispose, [Symbol.dispose]: dispose }
}
