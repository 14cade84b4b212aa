// Mutation grading wired into the grader (issue 14): `pnpm starter unittests-0x03` gives the code and fixtures and
// no test, `pnpm grade unittests-0x03 --submission <dir>` grades the learner's tests by the mutants they kill (a
// weak suite is listed with its survivors), and `--round-trip` checks starter 0, reference and alternative full.
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { loadModule } from '../../src/discover'
import { listFiles } from '../../src/layout'
import type { MutationGradeReport } from '../../src/mutation'
import { checkRoundTrip, renderRoundTrip } from '../../src/round-trip'
import { exportStarter } from '../../src/starter/export-starter'
import { FIXTURES, REPO_ROOT } from '../helpers'

const run = promisify(execFile)
const CLI = join(__dirname, '..', '..', 'src', 'cli.ts')
const MODULE = loadModule(join(REPO_ROOT, 'packages', 'unittests-0x03'), REPO_ROOT)

describe('mutation grading through pnpm grade / pnpm starter (unittests-0x03)', () => {
  let temp: string
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'grader-mutation-wiring-'))
  })
  afterAll(() => rmSync(temp, { recursive: true, force: true }))

  it('the starter holds the implementation, fixtures, tasks and mutants, and no test file or solution', () => {
    const out = join(temp, 'starter')
    exportStarter(MODULE, out, { vendor: false })
    const files = listFiles(out).filter((file) => !file.startsWith('.github/'))
    expect(files.filter((file) => /\.test\.ts$|^solutions\/|^test\//.test(file))).toEqual([])
    expect(files).toEqual(expect.arrayContaining(['src/access-nested-map.ts', 'src/client.ts', 'src/fixtures.ts', 'src/get-json.ts', 'src/memoize.ts', 'tasks.md', 'tasks.json', 'mutants.json', 'README.md', 'package.json']))
    // Provided code is copied as it is (nothing stubbed).
    expect(readFileSync(join(out, 'src/memoize.ts'), 'utf8')).toBe(readFileSync(join(MODULE.dir, 'src/memoize.ts'), 'utf8'))
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('graded by running them')
  })

  it('from the command line: a weak suite is graded by the mutants it kills, each survivor in one line; grade.json has the mutation section', async () => {
    const submission = join(temp, 'weak')
    exportStarter(MODULE, submission, { vendor: false })
    mkdirSync(join(submission, 'test'), { recursive: true })
    cpSync(join(FIXTURES, 'mutation', 'weak', 'test'), join(submission, 'test'), { recursive: true })
    const { stdout } = await run(process.execPath, [require.resolve('tsx/cli'), CLI, 'grade', 'unittests-0x03', '--submission', submission, '--root', REPO_ROOT, '--quiet'], {
      env: { ...process.env, GITHUB_STEP_SUMMARY: '' },
    })
    const report = JSON.parse(readFileSync(join(submission, 'reports', 'grade.json'), 'utf8')) as MutationGradeReport
    expect(report.mutation.engine).toBe('curated')
    expect(report.score).toBeLessThan(report.max_score / 2)
    const survivors = report.mutation.mutants.filter((mutant) => mutant.status === 'survived')
    expect(survivors.length).toBeGreaterThan(0)
    expect(stdout).toContain('(your tests, graded by the mutants they kill)')
    expect(stdout).toMatch(/your Task \d+ tests still pass when /)
  }, 240_000)

  it('--round-trip: starter 0 (every task "Missing file"), reference tests and the alternative suite full marks', async () => {
    const result = await checkRoundTrip(MODULE, { root: REPO_ROOT })
    expect(result.problems).toEqual([])
    expect([result.starter.score, result.reference.score, result.alternative?.score]).toEqual([0, 10, 10])
    expect(result.starter.tasks.every((task) => (task.message ?? '').startsWith('Missing file'))).toBe(true)
    expect(renderRoundTrip(result)).toContain('unittests-0x03: starter 0/10 · reference 10/10 · alternative 10/10\nround trip: ok')
  }, 400_000)
})
