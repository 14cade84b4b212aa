import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'

/** The environment variable marking every process of one run (what the sweep after the run looks for). */
export const RUN_MARKER = 'ALX_GRADER_RUN'

/**
 * Kills (SIGKILL) every process whose initial environment carries `RUN_MARKER=<id>`: what a run left behind outside
 * its process group (a detached, setsid'ed child). Linux only (reads /proc); returns how many were killed.
 * @example sweepMarked('5f0c…') // 1
 */
export function sweepMarked(id: string): number {
  if (process.platform !== 'linux') return 0
  const needle = Buffer.from(`${RUN_MARKER}=${id}\0`)
  let killed = 0
  let entries: string[] = []
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))
  } catch {
    return 0
  }
  for (const entry of entries) {
    const pid = Number(entry)
    if (pid === process.pid) continue
    try {
      if (!readFileSync(`/proc/${entry}/environ`).includes(needle)) continue
      process.kill(pid, 'SIGKILL')
      killed += 1
    } catch {
      // Gone, or not ours to read.
    }
  }
  return killed
}

/** How a child process ended. */
export interface ProcessResult {
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  /** The process was killed because it ran past `timeoutMs`. */
  readonly timedOut: boolean
  /** The last 64 KiB of stdout and stderr. */
  readonly stdout: string
  readonly stderr: string
  readonly durationMs: number
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  readonly cwd: string
  readonly env?: NodeJS.ProcessEnv
  /** Kill the whole process group after this many milliseconds. @default no limit */
  readonly timeoutMs?: number
  /** Called with each complete stdout line (turbo's `--json` events, progress). */
  readonly onLine?: (line: string) => void
  /** Pass the child's stderr through to ours. @default false */
  readonly inheritStderr?: boolean
  /**
   * Characters of stdout and stderr kept (the tail); raise it for output that must be whole, such as JSON.
   * @default 65536
   */
  readonly keepChars?: number
  /**
   * Opens a pipe as the child's fd 3 (the results channel) and calls this with each line read from it while the
   * child runs; nothing written after the child exits is read.
   */
  readonly onChannelLine?: (line: string) => void
  /**
   * Submissions: resolve when the child exits, not when its pipes close (a detached grandchild holding them must not
   * delay the grader), killing its process group then. @default false
   */
  readonly endOnExit?: boolean
}

const KEEP = 64 * 1024

function keepTail(text: string, keep = KEEP): string {
  return text.length > keep ? text.slice(-keep) : text
}

/**
 * Runs a command in its own process group and kills the group (SIGTERM, then SIGKILL) when it runs too long,
 * so a test spinning in a synchronous loop cannot hang the grader.
 * @example const result = await runProcess('node', ['-e', 'for(;;){}'], { cwd: '.', timeoutMs: 1000 }) // result.timedOut === true
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const started = Date.now()
  const marker = randomBytes(12).toString('hex')
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.endOnExit === true ? { ...(options.env ?? process.env), [RUN_MARKER]: marker } : (options.env ?? process.env),
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', options.inheritStderr === true ? 'inherit' : 'pipe', ...(options.onChannelLine === undefined ? [] : (['pipe'] as const))],
    })
    const channel = options.onChannelLine === undefined ? null : (child.stdio[3] as NodeJS.ReadableStream | null | undefined)
    let channelOpen = channel !== null && channel !== undefined
    let channelPending = ''
    channel?.setEncoding('utf8')
    channel?.on('data', (chunk: string) => {
      if (!channelOpen) return
      channelPending += chunk
      const lines = channelPending.split('\n')
      channelPending = lines.pop() ?? ''
      for (const line of lines) options.onChannelLine?.(line)
    })
    channel?.on('error', () => undefined)
    let stdout = ''
    let stderr = ''
    let pending = ''
    let timedOut = false
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal)
        else child.kill(signal)
      } catch {
        // Already gone.
      }
    }
    let hardKill: NodeJS.Timeout | undefined
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            killGroup('SIGTERM')
            hardKill = setTimeout(() => killGroup('SIGKILL'), 2000)
          }, options.timeoutMs)
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      stdout = keepTail(stdout + chunk, options.keepChars)
      if (options.onLine === undefined) return
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) options.onLine(line)
    })
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      stderr = keepTail(stderr + chunk, options.keepChars)
    })
    child.on('error', (error) => {
      clearTimeout(timer)
      clearTimeout(hardKill)
      reject(error)
    })
    let settled = false
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(hardKill)
      // Grandchildren (jest workers, detached children) may outlive the parent: sweep the group once more.
      if (timedOut || options.endOnExit === true) killGroup('SIGKILL')
      if (options.endOnExit === true) sweepMarked(marker)
      channelOpen = false
      if (options.endOnExit === true) {
        for (const stream of [child.stdout, child.stderr, child.stdio[3]]) (stream as { destroy?: () => void } | null | undefined)?.destroy?.()
      }
      if (pending !== '' && options.onLine !== undefined) options.onLine(pending)
      resolve({ exitCode, signal, timedOut, stdout, stderr, durationMs: Date.now() - started })
    }
    child.on('exit', (exitCode, signal) => {
      if (options.endOnExit !== true) return
      // What the child wrote before exiting is still in the pipes: read it for a moment, then stop whatever holds them.
      setTimeout(() => finish(exitCode, signal), 250)
    })
    child.on('close', (exitCode, signal) => finish(exitCode, signal))
  })
}
