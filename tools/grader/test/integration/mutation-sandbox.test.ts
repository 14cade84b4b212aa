// Mutation grading in the grader's sandbox (issue 13 for unittests-0x03): the learner's tests run on a fresh copy
// of the module, under the submission path's namespaces, limits and process-group kill. A learner test overwriting
// a provided file in its cwd's module changes only the run's copy; the protections are reported in force (as root).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadModule } from '../../src/discover'
import { gradeSubmission } from '../../src/run-grade'
import { REPO_ROOT, sha256 } from '../helpers'

const MODULE = loadModule(join(REPO_ROOT, 'packages', 'unittests-0x03'), REPO_ROOT)
const GUARDED = ['src/access-nested-map.ts', 'src/utils.ts', 'src/memoize.ts', 'mutants.json', 'package.json', 'tasks.json']
const ROOT = typeof process.getuid === 'function' && process.getuid() === 0 && process.platform === 'linux'

const ATTACK = `import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { accessNestedMap } from '../src/access-nested-map'

describe('Task 0: accessNestedMap', () => {
  test('overwrites the module it runs in', () => {
    writeFileSync(join(process.cwd(), 'src', 'utils.ts'), 'export const owned = true\\n')
    writeFileSync(join(process.cwd(), 'src', 'access-nested-map.ts'), 'export const accessNestedMap = (): number => 42\\n')
    expect(existsSync(join(process.cwd(), 'src', 'utils.ts'))).toBe(true)
    expect(accessNestedMap({ a: 1 }, ['a'])).toBe(1)
  })
})
`

function hashes(): Record<string, string | null> {
  return Object.fromEntries(GUARDED.map((file) => [file, existsSync(join(MODULE.dir, file)) ? sha256(join(MODULE.dir, file)) : null]))
}

describe('mutation grading in the sandbox', () => {
  let temp: string
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'grader-mutation-sandbox-'))
  })
  afterAll(() => rmSync(temp, { recursive: true, force: true }))

  it("a learner test overwriting src/utils.ts and src/access-nested-map.ts in its cwd's module leaves the repository's copy unchanged; the protections are reported", async () => {
    const before = hashes()
    const submission = join(temp, 'overwrite')
    mkdirSync(join(submission, 'test'), { recursive: true })
    writeFileSync(join(submission, 'test', 'utils.test.ts'), ATTACK)
    const report = await gradeSubmission(MODULE, { root: REPO_ROOT, submissionDir: submission, timeoutMs: 60_000 })
    expect(hashes()).toEqual(before)
    // The run really happened (on its copy): Task 0's one test ran on the provided code.
    expect(report.tests.some((test) => test.task === '0' && test.test_code === 'on the provided code')).toBe(true)
    const protections = new Map((report.provenance.protections ?? []).map((protection) => [protection.name, protection]))
    for (const protection of protections.values()) expect(protection.detail).not.toBe('')
    expect(protections.get('fresh-copy')?.status).toBe('in force')
    expect(protections.get('process-group-kill')?.status).toBe('in force')
    expect([...protections.keys()]).toEqual(expect.arrayContaining(['rlimits', 'pid-namespace', 'network-namespace', 'network-guard', 'results-channel', 'tamper-detection']))
    if (ROOT) {
      for (const name of ['rlimits', 'pid-namespace', 'network-namespace']) expect([name, protections.get(name)?.status]).toEqual([name, 'in force'])
    }
  }, 240_000)
})
