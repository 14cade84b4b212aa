// Runs one README shell block in the scratch copy and judges it.
import { spawn } from 'node:child_process'
import type { ShellBlock } from './markdown'
import { outputMatches } from './match'
import { namesMysql } from './mysql'
import type { MysqlScratch } from './mysql'

/** Where and how blocks run. */
export interface RunContext {
  /** The scratch copy of the repository (the commands' working directory). */
  readonly repo: string
  /** Fresh MariaDB databases for commands that name a mysql:// URL; null: those commands are left out. */
  readonly mysql: MysqlScratch | null
  /** @default 180_000 */
  readonly timeoutMs?: number
}

/** What running a block gave. */
export interface BlockResult {
  readonly block: ShellBlock
  /** `passed`; `failed` (exit code or output); `not-runnable` (marked); `skipped` (every command needs MySQL). */
  readonly status: 'passed' | 'failed' | 'not-runnable' | 'skipped'
  /** Why, for every status but `passed`. */
  readonly reason: string | null
  /** The script that ran (after rewriting mysql:// URLs). */
  readonly script: string
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number | null
  /** Commands left out for want of MYSQL_URL. */
  readonly leftOut: readonly string[]
  /** How long the block ran (0 when it did not). */
  readonly durationMs: number
}

/** The block's commands, one per entry, `\`-continued lines joined. */
export function commandsOf(code: string): string[] {
  const commands: string[] = []
  let current = ''
  for (const line of code.split('\n')) {
    current += current === '' ? line : `\n${line}`
    if (/\\$/.test(line)) continue
    commands.push(current)
    current = ''
  }
  if (current !== '') commands.push(current)
  return commands
}

// Variables of the process running the check that a learner's shell does not have.
const DROPPED_ENV = /^(npm_|INIT_CWD$|PNPM_|TURBO_|JEST_WORKER_ID$|NODE_ENV$|NODE_OPTIONS$|DATABASE_URL$|MYSQL_URL$|TS_JEST)/

function learnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!DROPPED_ENV.test(key)) env[key] = value
  env.NO_COLOR = '1'
  env.FORCE_COLOR = '0'
  env.TURBO_TELEMETRY_DISABLED = '1'
  return env
}

function runScript(script: string, cwd: string, timeoutMs: number): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env: learnerEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s))
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
    const timer = setTimeout(() => {
      stderr += `\ndocs-check: timed out after ${timeoutMs} ms`
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ stdout, stderr, exitCode: code })
    })
  })
}

const PRELUDE = [
  'set -eo pipefail',
  `trap 'code=$?; echo "docs-check: exit $code at line $((LINENO - 2)): $BASH_COMMAND" >&2' ERR`,
  '',
].join('\n')

/** The script line a failure report of the prelude's trap names. */
function failingLine(stderr: string, script: string): string | null {
  const at = /docs-check: exit \d+ at line (\d+)/.exec(stderr)
  if (at === null) return null
  return script.split('\n')[Number(at[1]) - 1]?.trim() ?? null
}

/**
 * Runs a block: not-runnable blocks are reported as such; commands naming mysql:// run on fresh databases of
 * `ctx.mysql`, or are left out when it is null; the block passes when every command exits 0 and, where the README
 * shows the output (and no command was left out), stdout matches it.
 */
export async function runBlock(block: ShellBlock, ctx: RunContext): Promise<BlockResult> {
  const base = { block, stdout: '', stderr: '', exitCode: null, leftOut: [] as string[], durationMs: 0 }
  if (block.notRunnable !== null) return { ...base, status: 'not-runnable', reason: block.notRunnable, script: block.code }
  const kept: string[] = []
  const leftOut: string[] = []
  for (const command of commandsOf(block.code)) {
    if (ctx.mysql === null && namesMysql(command.replace(/#.*$/gm, ''))) leftOut.push(command)
    else kept.push(command)
  }
  const code = kept.join('\n')
  if (kept.every((c) => c.trim() === '' || c.trim().startsWith('#'))) {
    return { ...base, leftOut, status: 'skipped', reason: 'every command names a mysql:// URL and MYSQL_URL is not set', script: code }
  }
  const script = ctx.mysql === null ? code : await ctx.mysql.rewrite(code)
  const started = performance.now()
  const run = { ...(await runScript(PRELUDE + script, ctx.repo, ctx.timeoutMs ?? 180_000)), durationMs: Math.round(performance.now() - started) }
  const stdout = ctx.mysql === null ? run.stdout : ctx.mysql.restore(run.stdout)
  const result = { ...base, ...run, stdout, leftOut, script }
  if (run.exitCode !== 0) {
    const line = failingLine(run.stderr, script)
    return { ...result, status: 'failed', reason: `exit code ${String(run.exitCode)}${line === null ? '' : ` from: ${line}`}` }
  }
  if (block.expectedOutput !== null && leftOut.length === 0 && !outputMatches(block.expectedOutput, stdout)) {
    return { ...result, status: 'failed', reason: 'the output differs from the one the README shows' }
  }
  return { ...result, status: 'passed', reason: null }
}
