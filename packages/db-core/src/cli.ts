import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'

/**
 * A bad command line: a CLI prints its message (and its usage) and exits 2.
 * @example
 * throw new UsageError('Expected either `--csv` or `--rows`, not both.')
 */
export class UsageError extends Error {
  readonly code = 'USAGE'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'UsageError'
  }
}

/** Where a CLI writes. */
export interface CliIo {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
}

/** Options of `runCli`. */
export interface RunCliOptions {
  /** The command's name, the prefix of its error line (`seed: …`). */
  readonly name: string
  /** Printed after a usage error's line. */
  readonly usage?: string
  /**
   * Where to write.
   * @default console.log / console.error
   */
  readonly io?: CliIo
}

const DEFAULT_IO: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
}

/**
 * `err` as the one line a CLI prints: a `DatabaseError` or `UsageError` by its message alone (it already says
 * what to do), any other error as `Name: message` — never a stack; line breaks in a message become spaces.
 * @example
 * formatCliError(new DatabaseUnreachableError('cannot reach MySQL at 127.0.0.1:18399: connection refused …', details))
 * // 'cannot reach MySQL at 127.0.0.1:18399: connection refused …'
 */
export function formatCliError(err: unknown): string {
  let text: string
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    const { message, name, code } = err as { message: string; name?: unknown; code?: unknown }
    const ours = code === 'USAGE' || (typeof code === 'string' && code.startsWith('DB_'))
    // Node's system errors ("ENOENT: no such file or directory, open 'x.csv'") already start with their code
    const system = typeof code === 'string' && message.startsWith(`${code}:`)
    text = ours || system || typeof name !== 'string' || name === 'Error' ? message : `${name}: ${message}`
  } else {
    text = String(err)
  }
  return text.replace(/\s*\n\s*/g, ' ').trim()
}

/**
 * The exit code for `err`: 2 for a `UsageError` (or node's `parseArgs` errors), 1 for anything else.
 * @example
 * process.exitCode = cliExitCode(err)
 */
export function cliExitCode(err: unknown): 1 | 2 {
  const code = (err as { code?: unknown } | null)?.code
  return code === 'USAGE' || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) ? 2 : 1
}

/**
 * Runs a CLI's `main`: on a throw prints `<name>: <one line>` (see `formatCliError`), the usage after a usage
 * error, and sets `process.exitCode` to 1 (2 for a usage error). Resolves to the exit code, never rejects.
 * @example
 * void runCli(async () => { await using db = await openDatabase(); … }, { name: 'seed', usage: USAGE })
 */
export async function runCli(main: () => Promise<number | void> | number | void, options: RunCliOptions): Promise<number> {
  const io = options.io ?? DEFAULT_IO
  let code: number
  try {
    code = (await main()) ?? 0
  } catch (err) {
    io.err(`${options.name}: ${formatCliError(err)}`)
    code = cliExitCode(err)
    if (code === 2 && options.usage !== undefined) io.err(options.usage)
  }
  if (options.io === undefined) process.exitCode = code
  return code
}

/**
 * `node:util` `parseArgs` for a CLI run through pnpm: a leading `--` is dropped (pnpm 10 passes
 * `pnpm … seed -- --csv x.csv` through with it), and a bad flag throws a `UsageError`.
 * @throws {UsageError} for an unknown option, a missing value or an unexpected positional.
 * @example
 * const { values } = parseCliArgs({ args: process.argv.slice(2), options: { csv: { type: 'string' } } })
 */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2)
  const stripped = args[0] === '--' ? args.slice(1) : args
  try {
    return parseArgs<T>({ ...config, args: stripped })
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((err as Error).message, { cause: err })
    throw err
  }
}
