// The whole docs check: every README's shell blocks, in one scratch copy, README by README in order.
import type { ShellBlock } from './markdown'
import { openMysqlScratch } from './mysql'
import type { MysqlScratch } from './mysql'
import { findReadmes, readmeBlocks } from './readmes'
import { runBlock } from './run'
import type { BlockResult } from './run'
import { makeScratch } from './scratch'

/** Options of `checkReadmes`. */
export interface CheckOptions {
  /** READMEs to check, relative to the root. @default every README (`findReadmes`) */
  readonly readmes?: readonly string[]
  /** The MySQL/MariaDB server for mysql:// commands. @default process.env.MYSQL_URL (unset: those commands are left out) */
  readonly mysqlUrl?: string | undefined
  /** Called after each block. */
  readonly onResult?: (result: BlockResult) => void
  /** Per block. @default 180_000 */
  readonly timeoutMs?: number
}

/** One line naming a block: `packages/x/README.md:21`. */
export function blockName(block: ShellBlock): string {
  return `${block.file}:${block.line}`
}

/** A failed block, told so that the reader can act: the command, exit code, expected vs actual output. */
export function describeFailure(result: BlockResult): string {
  const parts = [`${blockName(result.block)}: ${result.reason ?? 'failed'}`, `script:\n${result.script}`]
  if (result.block.expectedOutput !== null) parts.push(`expected output:\n${result.block.expectedOutput}`)
  parts.push(`stdout:\n${result.stdout.slice(-4000)}`, `stderr:\n${result.stderr.slice(-4000)}`)
  return parts.join('\n---\n')
}

/**
 * Runs every README shell block of the repository at `repoRoot` in a scratch copy of it.
 * @example
 * const results = await checkReadmes(findRepoRoot())
 * results.filter((r) => r.status === 'failed').forEach((r) => console.error(describeFailure(r)))
 */
export async function checkReadmes(repoRoot: string, options: CheckOptions = {}): Promise<BlockResult[]> {
  const blocks = readmeBlocks(repoRoot, options.readmes ?? findReadmes(repoRoot))
  using scratch = makeScratch(repoRoot)
  const mysqlUrl = 'mysqlUrl' in options ? options.mysqlUrl : process.env.MYSQL_URL
  const mysql: MysqlScratch | null = mysqlUrl === undefined || mysqlUrl === '' ? null : await openMysqlScratch(mysqlUrl)
  const results: BlockResult[] = []
  try {
    for (const block of blocks) {
      const result = await runBlock(block, { repo: scratch.repo, mysql, timeoutMs: options.timeoutMs })
      results.push(result)
      options.onResult?.(result)
    }
  } finally {
    await mysql?.close()
  }
  return results
}
