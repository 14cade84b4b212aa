// Operating-system limits around a submission's jest run (issue 13): a PID namespace (the whole tree dies with jest,
// whatever it detached), a network namespace with only loopback, and resource limits through prlimit — each where
// the platform has it, and each listed in `provenance.protections` as in force or missing with the reason.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Protection } from './types'

/** Options of {@link sandboxCommand}. */
export interface SandboxOptions {
  /** The tests need the host's loopback (a MariaDB server): no network namespace then. */
  readonly needsHostLoopback: boolean
  /** CPU-time limit of the run, seconds. */
  readonly cpuSeconds: number
  /**
   * Data-segment limit (RLIMIT_DATA: private writable memory), bytes. Not the address space: WebAssembly reserves
   * ~10 GiB of it per memory (sql.js on SQLite), so RLIMIT_AS at 8 GiB broke the SQLite tests. @default 4 GiB
   */
  readonly dataBytes?: number
  /** Largest file the run may write, bytes. @default 64 MiB */
  readonly fileSizeBytes?: number
  /** Processes (of this user). @default 512 */
  readonly processes?: number
  /** Protections to leave out (the bench measures each one's cost): 'pid-namespace', 'network-namespace', 'rlimits'. */
  readonly disable?: readonly string[]
}

/** The command to run and what is in force. */
export interface SandboxPlan {
  readonly command: string
  readonly args: readonly string[]
  readonly protections: readonly Protection[]
}

/**
 * Whether a module's tests need the host's loopback (MYSQL_URL is set and the module uses a database): a network
 * namespace would cut them off from the server.
 * @example sandboxCommand(node, args, { needsHostLoopback: needsHostLoopback(module.dir), cpuSeconds: 330 })
 */
export function needsHostLoopback(moduleDir: string): boolean {
  if (!process.env['MYSQL_URL']) return false
  try {
    const pkg = JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>
    const deps = { ...pkg['dependencies'], ...pkg['devDependencies'] }
    return Object.keys(deps).some((name) => name === 'mysql2' || name === '@alx/db-core' || name === 'mariadb')
  } catch {
    return true
  }
}

const found = new Map<string, string | null>()

function which(name: string): string | null {
  if (found.has(name)) return found.get(name) ?? null
  let path: string | null = null
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin']) {
    if (existsSync(`${dir}/${name}`)) {
      path = `${dir}/${name}`
      break
    }
  }
  found.set(name, path)
  return path
}

let unshareWorks: boolean | null = null

function canUnshare(unshare: string): boolean {
  if (unshareWorks === null) {
    try {
      execFileSync(unshare, ['--pid', '--fork', '--kill-child', '--net', 'true'], { stdio: 'ignore', timeout: 5000 })
      unshareWorks = true
    } catch {
      unshareWorks = false
    }
  }
  return unshareWorks
}

/**
 * Wraps `command args` in what the platform allows: `unshare --pid --fork --kill-child [--net]` (root, Linux),
 * then `prlimit --cpu --data --fsize --nproc` (util-linux). Never throws: what cannot be had is named `missing`.
 * @example sandboxCommand(process.execPath, ['jest.js'], { needsHostLoopback: false, cpuSeconds: 300 }).protections
 */
export function sandboxCommand(command: string, args: readonly string[], options: SandboxOptions): SandboxPlan {
  const protections: Protection[] = []
  const off = new Set(options.disable ?? [])
  const linux = process.platform === 'linux'
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  let prefix: string[] = []
  let inner: string[] = [command, ...args]

  const prlimit = linux ? which('prlimit') : null
  if (off.has('rlimits')) protections.push({ name: 'rlimits', status: 'missing', detail: 'disabled for this run' })
  else if (prlimit === null) protections.push({ name: 'rlimits', status: 'missing', detail: linux ? 'prlimit (util-linux) not found' : `no prlimit on ${process.platform}` })
  else {
    const data = options.dataBytes ?? 4 * 1024 ** 3
    const fsize = options.fileSizeBytes ?? 64 * 1024 ** 2
    const nproc = options.processes ?? 512
    const cpu = Math.max(1, Math.ceil(options.cpuSeconds))
    inner = [prlimit, `--cpu=${cpu}`, `--data=${data}`, `--fsize=${fsize}`, `--nproc=${nproc}`, '--', ...inner]
    protections.push({
      name: 'rlimits',
      status: 'in force',
      detail: `CPU ${cpu} s, memory (data) ${Math.round(data / 1024 ** 3)} GiB, file size ${Math.round(fsize / 1024 ** 2)} MiB, ${nproc} processes${root ? ' (root is exempt from the process limit)' : ''}`,
    })
  }

  const unshare = linux ? which('unshare') : null
  const namespaces = unshare !== null && root && canUnshare(unshare)
  const why = !linux ? `no namespaces on ${process.platform}` : unshare === null ? 'unshare (util-linux) not found' : !root ? 'needs root (CAP_SYS_ADMIN); run the grader as root or with sudo, as on GitHub runners' : 'unshare failed here (a container without CAP_SYS_ADMIN?)'
  const pid = namespaces && !off.has('pid-namespace')
  const net = namespaces && !off.has('network-namespace') && !options.needsHostLoopback
  if (pid) protections.push({ name: 'pid-namespace', status: 'in force', detail: 'unshare --pid --fork --kill-child: every process of the run dies with jest' })
  else protections.push({ name: 'pid-namespace', status: 'missing', detail: off.has('pid-namespace') ? 'disabled for this run' : `${why}; fallback: the process group is killed when jest exits` })
  if (net) protections.push({ name: 'network-namespace', status: 'in force', detail: 'unshare --net: only a loopback of its own (no route out, UDP and child processes included)' })
  else {
    protections.push({
      name: 'network-namespace',
      status: 'missing',
      detail: off.has('network-namespace')
        ? 'disabled for this run'
        : options.needsHostLoopback
          ? "MYSQL_URL is set and the module uses a database: a new namespace's 127.0.0.1 would not reach the server; fallback: the in-process network guard (TCP only)"
          : `${why}; fallback: the in-process network guard (TCP only)`,
    })
  }
  if (pid || net) {
    prefix = [...(pid ? ['--pid', '--fork', '--kill-child'] : []), ...(net ? ['--net'] : [])]
    const ip = which('ip')
    if (net && ip !== null) inner = ['/bin/sh', '-c', `${ip} link set lo up 2>/dev/null; exec "$@"`, 'sh', ...inner]
    return { command: unshare, args: [...prefix, '--', ...inner], protections }
  }
  const [first, ...rest] = inner as [string, ...string[]]
  return { command: first, args: rest, protections }
}
