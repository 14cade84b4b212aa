import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { loadModule } from '../../src/discover'
import { listFiles } from '../../src/layout'
import { checkRoundTrip, renderRoundTrip } from '../../src/round-trip'
import { gradeSubmission } from '../../src/run-grade'
import { exportStarter } from '../../src/starter/export-starter'
import { checkWorkdir } from '../../src/typecheck'
import type { GradeReport } from '../../src/types'
import { linkNodeModules } from '../../src/workdir'
import { FIXTURES, REPO_ROOT } from '../helpers'

const run = promisify(execFile)
const taskModule = loadModule(join(FIXTURES, 'task-module'), REPO_ROOT)
const CLI = join(__dirname, '..', '..', 'src', 'cli.ts')

describe('a module with task statements and graded task tests (issue 12)', () => {
  let temp: string

  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'grader-task-module-'))
  })

  afterAll(() => {
    rmSync(temp, { recursive: true, force: true })
  })

  it('exports a starter of stubbed entry points, working provided files and the graded tests only, which compiles', () => {
    const out = join(temp, 'starter')
    const written = exportStarter(taskModule, out, { graderRepo: 'course/alx-backend-ts' })
    expect(written).toEqual([
      '.github/workflows/grade.yml',
      '.gitignore',
      'README.md',
      'package.json',
      'src/add.ts',
      'src/count-words.ts',
      'src/errors.ts',
      'src/index.ts',
      'src/memo.ts',
      'src/not-implemented.ts',
      'src/remembering.ts',
      'src/text.ts',
      'tasks.json',
      'tasks.md',
      'test/helpers/sample.ts',
      'test/tasks/task-0.test.ts',
      'test/tasks/task-1.test.ts',
      'test/tasks/task-2.test.ts',
      'tsconfig.json',
    ])
    const read = (file: string): string => readFileSync(join(out, file), 'utf8')
    // Only the entry point's public API: the private helper and its import are gone.
    expect(read('src/add.ts')).toBe(
      "import { NotImplementedError } from './not-implemented'\n\n/** Adds two finite numbers. */\nexport function add(a: number, b: number): number {\n  throw new NotImplementedError('add', 'src/add.ts', 'Task 0: Add numbers')\n}\n",
    )
    expect(read('src/text.ts')).toBe(readFileSync(join(taskModule.dir, 'src/text.ts'), 'utf8'))
    const readme = read('README.md')
    expect(readme.startsWith('# task-module: Task-test fixture\n\nThree small tasks')).toBe(true)
    expect(readme).toContain('## Task 1: Count words\n\n**Write:** `src/count-words.ts`')
    expect(readme).toContain('`npm install`')
    expect(readme).toContain('`npm test`')
    expect(readme).toContain('pnpm grade task-module --submission path/to/this/folder')
    expect(readme).not.toContain('OWNER/alx-backend-ts')
    expect(read('.github/workflows/grade.yml')).toContain('uses: course/alx-backend-ts/.github/workflows/grade.yml@main')
    linkNodeModules(taskModule.dir, out)
    const sources = listFiles(out).filter((file) => file.endsWith('.ts'))
    expect(checkWorkdir(out, sources)).toEqual([])
  })

  it('the round trip: starter 0, reference and alternative full marks, each task alone exactly its points', async () => {
    const result = await checkRoundTrip(taskModule, { root: REPO_ROOT, testTimeoutMs: 5000 })
    expect(result.problems).toEqual([])
    expect(renderRoundTrip(result)).toBe('task-module: starter 0/4 · reference 4/4 · alternative 4/4\neach task alone: ok (3/3)\nround trip: ok\n')
    expect(result.starter.tasks.map((task) => task.message)).toEqual([
      'not implemented: add (src/add.ts)',
      'not implemented: countWords (src/count-words.ts)',
      'not implemented: memo (src/memo.ts)',
    ])
    // The provided wrapper caught memo's stub error and the test failed on an assertion: still the stub, named.
    expect(result.starter.tests.find((test) => test.name.endsWith('remembers through the provided wrapper'))?.message).toMatch(
      /^not implemented: memo \(src\/memo\.ts\)\n\nThe test then failed: expect\(jest\.fn\(\)\)\.toHaveBeenCalledTimes\(expected\)/,
    )
    expect(result.alone.map((each) => each.report.tasks.map((task) => task.score))).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 1],
    ])
  }, 180_000)

  it('grades a submission on a copy of the starter: its helper taken along, provided files from the module, every failure listed', async () => {
    const report = await gradeSubmission(taskModule, { root: REPO_ROOT, submissionDir: join(FIXTURES, 'submissions', 'task-partial'), testTimeoutMs: 5000 })
    expect(report.tasks.map((task) => [task.id, task.status, task.score])).toEqual([
      ['0', 'pass', 1],
      ['1', 'fail', 1],
      ['2', 'error', 0],
    ])
    expect(report.tasks[1]?.message).toMatch(/^expect\(received\)\.toEqual\(expected\)[\s\S]*-\s+"b",\n\+\s+"B",/)
    expect(report.tasks[2]?.message).toBe('Missing file: the submission has no src/memo.ts.')
    expect(report.tests.find((test) => test.name.endsWith('counts lower-cased words in order of first appearance'))).toMatchObject({ expected: "[ [ 'a', 2 ], [ 'b', 1 ] ]", actual: "[ [ 'a', 2 ], [ 'B', 1 ] ]" })
    // Only graded tests count: the reference's own src/add.test.ts is not in the grade.
    expect(new Set(report.tests.map((test) => test.file))).toEqual(new Set(['test/tasks/task-0.test.ts', 'test/tasks/task-1.test.ts', 'test/tasks/task-2.test.ts']))
  }, 120_000)

  it('from the command line: writes the reports into the submission\'s own reports/, never the repository\'s, and lists every failure', async () => {
    const submission = join(temp, 'my-work')
    cpSync(join(FIXTURES, 'submissions', 'task-partial'), submission, { recursive: true })
    const repoReport = join(REPO_ROOT, 'reports', 'grade.json')
    const before = existsSync(repoReport) ? readFileSync(repoReport, 'utf8') : null
    const { stdout, stderr } = await run(process.execPath, [require.resolve('tsx/cli'), CLI, 'grade', taskModule.dir, '--submission', submission, '--root', REPO_ROOT], {
      env: { ...process.env, GITHUB_STEP_SUMMARY: '' },
    })
    const report = JSON.parse(readFileSync(join(submission, 'reports', 'grade.json'), 'utf8')) as GradeReport
    expect([report.score, report.max_score]).toEqual([2, 4])
    expect(existsSync(repoReport) ? readFileSync(repoReport, 'utf8') : null).toBe(before)
    expect(stdout).toContain("› counts lower-cased words in order of first appearance: expected [ [ 'a', 2 ], [ 'b', 1 ] ]")
    expect(stdout).toContain('Wrote ')
    expect(stderr).toContain('grading ')
  }, 120_000)
})
