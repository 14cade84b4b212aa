import { spawn } from 'node:child_process'

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
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', options.inheritStderr === true ? 'inherit' : 'pipe'],
    })
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
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      clearTimeout(hardKill)
      // Grandchildren (jest workers) may outlive a killed parent: sweep the group once more.
      if (timedOut) killGroup('SIGKILL')
      if (pending !== '' && options.onLine !== undefined) options.onLine(pending)
      resolve({ exitCode, signal, timedOut, stdout, stderr, durationMs: Date.now() - started })
    })
  })
}
