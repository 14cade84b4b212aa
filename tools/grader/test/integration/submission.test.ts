import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { loadModule } from '../../src/discover'
import { gradeSubmission } from '../../src/run-grade'
import type { GradeReport } from '../../src/types'
import { FIXTURES, REPO_ROOT, normalize, sha256 } from '../helpers'

const run = promisify(execFile)
const graded = loadModule(join(FIXTURES, 'graded-module'), REPO_ROOT)

describe('grading a submission', () => {
  it('grades a module whose tasks pass, fail, throw, hang and do not compile to exactly the expected grade.json', async () => {
    const report = await gradeSubmission(graded, { root: REPO_ROOT, submissionDir: graded.dir, testTimeoutMs: 1500, timeoutMs: 60_000 })
    const expected: unknown = JSON.parse(readFileSync(join(FIXTURES, 'expected', 'graded-module.grade.json'), 'utf8'))
    expect(normalize(report)).toEqual(expected)
    expect(report.provenance.test_files).toEqual(
      ['add', 'greet', 'multiply', 'parse-setting', 'wait-until-ready'].map((name) => ({
        module: 'graded-module',
        path: `tools/grader/test/fixtures/graded-module/src/${name}.test.ts`,
        sha256: sha256(join(graded.dir, 'src', `${name}.test.ts`)),
      })),
    )
    expect(report.provenance).toMatchObject({ node: process.version, jest: expect.stringMatching(/^30\./) as unknown, submission: { dir: 'tools/grader/test/fixtures/graded-module' } })
    expect(report.modules[0]?.run).toMatchObject({ mode: 'submission', replayed_from: null, timed_out: false })
  }, 120_000)

  it('survives an endless loop, a network call, a missing file and a type error, grading every other test', async () => {
    const report = await gradeSubmission(graded, {
      root: REPO_ROOT,
      submissionDir: join(FIXTURES, 'submissions', 'graded-mixed'),
      testTimeoutMs: 1500,
      timeoutMs: 10_000,
    })
    expect(report.tests.map((test) => [test.name, test.outcome])).toEqual([
      ['Task 0: add numbers › adds two positive numbers', 'timeout'],
      ['Task 0: add numbers › adds -1 and 1', 'pass'],
      ['Task 0: add numbers › adds 0 and 0', 'pass'],
      ['Task 1: multiply numbers › multiplies by one', 'pass'],
      ['Task 1: multiply numbers › multiplies two numbers above one', 'pass'],
      ['Task 2: parse a setting › splits key and value', 'error'],
      ['Task 3: wait until ready › resolves to true', 'fail'],
      ['Task 4: format a greeting › greets by name', 'error'],
    ])
    expect(report.tasks.map((task) => [task.id, task.status, task.score, task.message])).toEqual([
      ['0', 'timeout', 0.67, 'Timed out: the test was still running when the run was stopped after 10 s (an endless loop?).'],
      ['1', 'pass', 2, null],
      ['2', 'error', 0, 'Missing file: the submission has no src/parse-setting.ts.'],
      [
        '3',
        'fail',
        0,
        'Network access is blocked by the grader: the code tried to connect to example.com:80. Tests run offline; only loopback (127.0.0.1, localhost) is allowed.',
      ],
      ['4', 'error', 0, "Does not compile: src/greet.ts:3 TS2322: Type 'number' is not assignable to type 'string'."],
    ])
    expect(report.tests[3]?.output).toBe('multiplying 1 by 7\n')
    expect(report.modules[0]?.run.timed_out).toBe(true)
    expect(report.provenance.submission?.files.map((file) => [file.path, file.sha256 === null])).toEqual([
      ['src/add.ts', false],
      ['src/greet.ts', false],
      ['src/multiply.ts', false],
      ['src/parse-setting.ts', true],
      ['src/wait-until-ready.ts', false],
    ])
  }, 120_000)

  it('pins a crash (an unhandled rejection) on the test that caused it and grades the rest', async () => {
    const report = await gradeSubmission(graded, { root: REPO_ROOT, submissionDir: join(FIXTURES, 'submissions', 'graded-crash'), testTimeoutMs: 1500, timeoutMs: 60_000 })
    expect(report.tasks.map((task) => [task.id, task.status, task.score])).toEqual([
      ['0', 'pass', 1],
      ['1', 'pass', 2],
      ['2', 'pass', 1],
      ['3', 'error', 0],
      ['4', 'pass', 1],
    ])
    expect(report.tasks[3]?.message).toMatch(/^Crashed the test run: (\(after it finished\) )?Error: left behind \(jest exited with code 1/)
    expect(report.modules[0]?.run.timed_out).toBe(false)
  }, 120_000)

  it('gives full marks from the command line, writing grade.json, junit.xml and the step summary', async () => {
    const out = mkdtempSync(join(tmpdir(), 'grader-cli-'))
    const summary = join(out, 'summary.md')
    writeFileSync(summary, '# earlier step\n')
    try {
      const { stdout } = await run(
        process.execPath,
        [
          require.resolve('tsx/cli'),
          join(__dirname, '..', '..', 'src', 'cli.ts'),
          'grade',
          '.',
          '--submission',
          join(FIXTURES, 'submissions', 'graded-complete'),
          '--root',
          REPO_ROOT,
          '--out',
          out,
          '--strict',
          '--quiet',
        ],
        { cwd: graded.dir, env: { ...process.env, GITHUB_STEP_SUMMARY: summary, INIT_CWD: graded.dir } },
      )
      const report = JSON.parse(readFileSync(join(out, 'grade.json'), 'utf8')) as GradeReport
      expect([report.status, report.score, report.max_score]).toEqual(['pass', 6, 6])
      expect(stdout).toContain('Total  6/6 points (100%)')
      expect(existsSync(join(out, 'junit.xml'))).toBe(true)
      const markdown = readFileSync(summary, 'utf8')
      expect(markdown.startsWith('# earlier step\n## Grade: 6 / 6 points (100%)')).toBe(true)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 120_000)
})
