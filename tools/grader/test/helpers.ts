import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { GradeReport } from '../src/types'

/** The repository root (for node_modules and the real turbo.json). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..')

/** The grader's fixture folder. */
export const FIXTURES = join(__dirname, 'fixtures')

/**
 * grade.json without what legitimately changes between runs and machines: durations, provenance, where the
 * module lives and how its results were obtained (checked separately).
 */
export function normalize(report: GradeReport): unknown {
  const clone = JSON.parse(JSON.stringify(report)) as Record<string, unknown>
  const scrub = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(scrub)
    if (typeof value !== 'object' || value === null) return value
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        if (key === 'duration_ms') return [key, 0]
        if (key === 'run' || key === 'dir' || key === 'provenance') return [key, `<${key}>`]
        return [key, scrub(inner)]
      }),
    )
  }
  return scrub(clone)
}

/**
 * The SHA-256 of a file, as provenance records it.
 */
export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/**
 * A throwaway pnpm + turbo workspace holding copies of fixture modules under packages/, with the repository's own
 * turbo.json and node_modules (symlinked), committed to a fresh git repository so turbo hashes it like the real one.
 */
export function makeWorkspace(modules: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'grader-ws-'))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'grader-ws', private: true, packageManager: 'pnpm@10.34.9' }))
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n')
  cpSync(join(REPO_ROOT, 'turbo.json'), join(root, 'turbo.json'))
  writeFileSync(join(root, '.gitignore'), 'node_modules/\nreports/\n.turbo/\n.grader-cache/\n')
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir')
  mkdirSync(join(root, 'packages'))
  for (const module of modules) {
    cpSync(join(FIXTURES, module), join(root, 'packages', module), { recursive: true, filter: (source) => !/[\\/](reports|\.turbo|node_modules)$/.test(source) })
  }
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=grader', '-c', 'user.email=grader@example.com', ...args], { cwd: root, stdio: 'ignore' })
  }
  git('init', '-q')
  git('add', '-A')
  git('commit', '-qm', 'fixture workspace')
  return root
}
