// The attack suite (issue 13): hostile submissions of test/fixtures/task-module, each with a wrong `add` (Task 0's
// honest grade is 0/1) and an attack run at import. Each asserts the forged grade is not given, the run ends within
// --timeout + 10 s, no process of it is left, the module's own files are unchanged, and the honest submission
// grades the same after every attack as before any.
import { execFile } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import { existsSync, readdirSync, readFileSync, mkdtempSync, cpSync, rmSync, symlinkSync, mkdirSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { loadModule } from '../../src/discover'
import { gradeSubmission } from '../../src/run-grade'
import type { GradeReport, GradedTask } from '../../src/types'
import { FIXTURES, normalize, REPO_ROOT, sha256 } from '../helpers'

const run = promisify(execFile)
const CLI = join(__dirname, '..', '..', 'src', 'cli.ts')
const MODULE = loadModule(join(FIXTURES, 'task-module'), REPO_ROOT)
const ATTACKS = join(FIXTURES, 'attacks')
const TIMEOUT_MS = 20_000
const OFFICIAL = ['test/tasks/task-0.test.ts', 'test/tasks/task-1.test.ts', 'test/tasks/task-2.test.ts', 'src/errors.ts', 'tasks.json']

function hashes(): Record<string, string> {
  return Object.fromEntries(OFFICIAL.map((file) => [file, sha256(join(MODULE.dir, file))]))
}

// Processes whose command line holds one of the attacks' markers.
function leftovers(): string[] {
  const found: string[] = []
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ')
      if (cmdline.includes('75.4242') || cmdline.includes('ATTACK_REPORT')) found.push(`${entry}: ${cmdline.slice(0, 80)}`)
    } catch {
      // gone
    }
  }
  return found
}

const task0 = (report: GradeReport): GradedTask => report.tasks.find((task) => task.id === '0') as GradedTask

async function grade(name: string, disable?: readonly string[]): Promise<{ report: GradeReport; seconds: number }> {
  const started = Date.now()
  const report = await gradeSubmission(MODULE, { root: REPO_ROOT, submissionDir: name.startsWith('/') ? name : join(ATTACKS, name), timeoutMs: TIMEOUT_MS, typecheck: false, ...(disable === undefined ? {} : { disable }) })
  return { report, seconds: (Date.now() - started) / 1000 }
}

describe('the grader against hostile submissions', () => {
  let honestBefore: GradeReport
  let before: Record<string, string>
  beforeAll(async () => {
    before = hashes()
    honestBefore = (await grade('honest')).report
  }, 120_000)

  afterEach(() => {
    expect(hashes()).toEqual(before)
    expect(leftovers()).toEqual([])
  })

  it('the honest submission: Task 0 full, the others "Missing file"; every protection listed', () => {
    expect(task0(honestBefore).score).toBe(1)
    expect(honestBefore.score).toBe(1)
    const names = (honestBefore.provenance.protections ?? []).map((protection) => protection.name)
    expect(names).toEqual(expect.arrayContaining(['fresh-copy', 'results-channel', 'tamper-detection', 'process-group-kill', 'rlimits', 'pid-namespace', 'network-namespace', 'node-permission-model']))
    for (const protection of honestBefore.provenance.protections ?? []) expect(protection.detail).not.toBe('')
  })

  it('expect.extend overriding toBe/toEqual/toThrow: tampering detected, Task 0 error and 0', async () => {
    const { report, seconds } = await grade('expect-extend')
    expect(task0(report)).toMatchObject({ status: 'error', score: 0 })
    expect(task0(report).message).toMatch(/^tampering detected: the built-in matcher to(Be|Throw|Equal) was overridden/)
    expect(seconds).toBeLessThan(TIMEOUT_MS / 1000 + 10)
  }, 60_000)

  it('rewriting the official test file (the run\'s copy and the module\'s own), then crashing: nothing counts, the module\'s file is put back', async () => {
    process.env['ATTACK_MODULE_DIR'] = MODULE.dir
    try {
      const { report } = await grade('rewrite-tests')
      expect(report.score).toBe(0)
      expect(task0(report).status).toBe('error')
      expect(task0(report).message).toContain('tampering detected')
      expect(task0(report).message).toContain('test/tasks/task-0.test.ts')
    } finally {
      delete process.env['ATTACK_MODULE_DIR']
    }
  }, 60_000)

  it('process.exit(0) of the real process in the middle of a test: no pass given', async () => {
    const { report, seconds } = await grade('exit-mid-run')
    expect(task0(report).score).toBe(0)
    expect(report.tests.filter((test) => test.task === '0').every((test) => test.status !== 'pass')).toBe(true)
    expect(seconds).toBeLessThan(TIMEOUT_MS / 1000 + 10)
  }, 90_000)

  it('console output mimicking the reporter changes nothing: the wrong add just fails', async () => {
    const { report } = await grade('console-mimic')
    expect(task0(report)).toMatchObject({ status: 'fail', score: 0 })
    expect(report.tests.filter((test) => test.task === '0').map((test) => test.status)).toEqual(['fail', 'fail'])
  }, 60_000)

  it('a forged report written on the results channel (fd 3): tampering detected', async () => {
    const { report } = await grade('channel-forge')
    expect(task0(report).status).toBe('error')
    expect(task0(report).message).toContain("tampering detected: something other than the grader's reporter wrote on its results channel")
    expect(report.score).toBe(0)
  }, 60_000)

  it('a detached child rewriting grade.json after the grader exits (command line): the grade stays the real one', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'grader-attack-'))
    try {
      const submission = join(temp, 'work')
      cpSync(join(ATTACKS, 'detached-rewrite'), submission, { recursive: true })
      const gradeFile = join(submission, 'reports', 'grade.json')
      await run(process.execPath, [require.resolve('tsx/cli'), CLI, 'grade', MODULE.dir, '--submission', submission, '--root', REPO_ROOT, '--quiet', '--no-typecheck', '--timeout', '20'], {
        env: { ...process.env, GITHUB_STEP_SUMMARY: '', ATTACK_REPORT: gradeFile },
      })
      await new Promise((resolve) => setTimeout(resolve, 2500))
      const report = JSON.parse(readFileSync(gradeFile, 'utf8')) as GradeReport & { forged?: boolean }
      expect(report.forged).toBeUndefined()
      expect([report.score, report.max_score]).toEqual([0, 4])
    } finally {
      rmSync(temp, { recursive: true, force: true })
    }
  }, 90_000)

  it.each([
    ['with the PID namespace', undefined],
    ['without namespaces (fallback: process group kill and the sweep of marked processes)', ['pid-namespace', 'network-namespace']],
  ])('a detached sleep 75 holding the pipes does not delay the grader (%s)', async (_label, disable) => {
    const { report, seconds } = await grade('detached-sleep', disable)
    expect(seconds).toBeLessThan(TIMEOUT_MS / 1000 + 10)
    expect(task0(report)).toMatchObject({ status: 'fail', score: 0 })
  }, 60_000)

  it('UDP and a child process\'s TCP to the host\'s loopback (standing in for the outside) get nowhere in the network namespace; without it they do (the fallback guard covers TCP in-process only)', async () => {
    const received: string[] = []
    const udp = createSocket('udp4')
    udp.on('message', (message) => received.push(String(message)))
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve))
    const port = udp.address().port
    const tcp = createServer((socket) => socket.on('data', (data) => received.push(String(data))))
    await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', resolve))
    process.env['ATTACK_PORT'] = String(port)
    try {
      const { report } = await grade('network-bypass')
      const netns = report.provenance.protections?.find((protection) => protection.name === 'network-namespace')
      await new Promise((resolve) => setTimeout(resolve, 300))
      // Not root (a GitHub runner without sudo): the namespace is named missing, with why.
      if (netns?.status !== 'in force') {
        expect(netns?.detail).toMatch(/needs root|not found|failed here|no namespaces/)
        return
      }
      expect(received).toEqual([])
      await grade('network-bypass', ['network-namespace'])
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect([...new Set(received)].sort()).toEqual(['leak over tcp', 'leak over udp'])
    } finally {
      delete process.env['ATTACK_PORT']
      udp.close()
      tcp.close()
    }
  }, 90_000)

  it('reading the reference by walking up from process.cwd() and __dirname: not found from the run, the wrong add just fails', async () => {
    const { report, seconds } = await grade('read-reference')
    expect(task0(report)).toMatchObject({ status: 'fail', score: 0 })
    expect(seconds).toBeLessThan(TIMEOUT_MS / 1000 + 10)
  }, 60_000)

  it.each([
    ['the reference', join(MODULE.dir, 'src', 'add.ts')],
    ['/etc/hostname', '/etc/hostname'],
  ])('src/add.ts a symbolic link to %s: refused, never followed', async (_label, target) => {
    const temp = mkdtempSync(join(tmpdir(), 'grader-attack-'))
    try {
      mkdirSync(join(temp, 'src'))
      symlinkSync(target, join(temp, 'src', 'add.ts'))
      const { report, seconds } = await grade(temp)
      expect(task0(report).score).toBe(0)
      expect(task0(report).message).toContain('Refused file: src/add.ts in the submission is a symbolic link')
      expect(report.score).toBe(0)
      expect(seconds).toBeLessThan(TIMEOUT_MS / 1000 + 10)
    } finally {
      rmSync(temp, { recursive: true, force: true })
    }
  }, 60_000)

  it('writing to $HOME: lands in the run\'s scratch home, deleted with it; the real home is untouched', async () => {
    const planted = join(homedir(), '.alx-attack-home')
    rmSync(planted, { force: true })
    const { report, seconds } = await grade('write-home')
    expect(existsSync(planted)).toBe(false)
    expect(task0(report)).toMatchObject({ status: 'fail', score: 0 })
    expect(seconds).toBeLessThan(TIMEOUT_MS / 1000 + 10)
  }, 60_000)

  it.each([
    ['with the PID namespace', undefined],
    ['without namespaces (fallback: process group kill and the sweep of marked processes)', ['pid-namespace', 'network-namespace']],
  ])('a bounded fork bomb (300 detached children): stopped, none left (%s)', async (_label, disable) => {
    const { report, seconds } = await grade('fork-bomb', disable)
    expect(task0(report).score).toBe(0)
    expect(report.score).toBe(0)
    expect(seconds).toBeLessThan(TIMEOUT_MS / 1000 + 10)
  }, 60_000)

  it('editing tasks.json from module code (the run\'s copy and the module\'s own): the module\'s is put back, tampering detected, nothing counts', async () => {
    process.env['ATTACK_MODULE_DIR'] = MODULE.dir
    try {
      const { report } = await grade('edit-tasks-json')
      expect(report.score).toBe(0)
      expect(report.max_score).toBe(4)
      expect(task0(report).status).toBe('error')
      expect(task0(report).message).toContain("the module's own tasks.json was changed during the run (put back)")
    } finally {
      delete process.env['ATTACK_MODULE_DIR']
    }
  }, 60_000)

  it('after every attack, the honest submission grades exactly as before', async () => {
    const { report } = await grade('honest')
    expect(normalize(report)).toEqual(normalize(honestBefore))
  }, 60_000)
})
