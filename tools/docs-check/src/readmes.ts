// Which READMEs the docs check reads: the root's and every workspace package's.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { extractShellBlocks } from './markdown'
import type { ShellBlock } from './markdown'

/** README.md of the root, packages/*, apps/* and tools/*, relative to the root, in that order. */
export function findReadmes(repoRoot: string): string[] {
  const found = existsSync(path.join(repoRoot, 'README.md')) ? ['README.md'] : []
  for (const group of ['packages', 'apps', 'tools']) {
    const base = path.join(repoRoot, group)
    if (!existsSync(base)) continue
    for (const name of readdirSync(base).sort()) {
      const readme = path.posix.join(group, name, 'README.md')
      if (existsSync(path.join(repoRoot, readme))) found.push(readme)
    }
  }
  return found
}

/** The shell blocks of every README (`file` relative to the root). */
export function readmeBlocks(repoRoot: string, readmes: readonly string[] = findReadmes(repoRoot)): ShellBlock[] {
  return readmes.flatMap((file) => extractShellBlocks(readFileSync(path.join(repoRoot, file), 'utf8'), file))
}

/** The repository root: the nearest folder above `from` holding pnpm-workspace.yaml. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = path.resolve(from)
  while (!existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const up = path.dirname(dir)
    if (up === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`)
    dir = up
  }
  return dir
}
