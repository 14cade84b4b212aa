import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { loadModule } from '../../src/discover'
import { gradeSubmission } from '../../src/run-grade'
import { exportStarter } from '../../src/starter/export-starter'
import type { GradeReport } from '../../src/types'
import { FIXTURES, REPO_ROOT } from '../helpers'

const run = promisify(execFile)
const reference = loadModule(join(FIXTURES, 'starter-module'), REPO_ROOT)

describe('the starter / reference round trip', () => {
  let out: string

  beforeAll(() => {
    out = join(mkdtempSync(join(tmpdir(), 'grader-starter-')), 'starter')
  })

  afterAll(() => {
    rmSync(join(out, '..'), { recursive: true, force: true })
  })

  it('exports README with the task list, tasks.json, stubbed sources, visible tests, package.json and tsconfig', () => {
    const written = exportStarter(reference, out)
    expect(written).toEqual([
      '.github/workflows/grade.yml',
      '.gitignore',
      'README.md',
      'package.json',
      'src/countdown.ts',
      'src/counter.test.ts',
      'src/counter.ts',
      'src/describe-user.ts',
      'src/errors.ts',
      'src/index.ts',
      'src/not-implemented.ts',
      'src/sum.test.ts',
      'src/sum.ts',
      'tasks.json',
      'test/countdown.test.ts',
      'tsconfig.json',
    ])
    const read = (file: string): string => readFileSync(join(out, file), 'utf8')
    expect(read('src/countdown.ts')).toContain("export async function* countdown(from: number): AsyncGenerator<number, void, unknown> {\n  throw new NotImplementedError('countdown', 'src/countdown.ts', 'Task 2: Count down lazily')\n}")
    expect(read('src/counter.ts')).toContain("  get value(): number {\n    throw new NotImplementedError('Counter.value', 'src/counter.ts', 'Task 1: Count up')\n  }")
    expect(read('src/errors.ts')).toBe(readFileSync(join(reference.dir, 'src/errors.ts'), 'utf8'))
    expect(read('src/sum.test.ts')).toBe(readFileSync(join(reference.dir, 'src/sum.test.ts'), 'utf8'))
    expect(read('README.md')).toContain('| 2 | Count down lazily | 2 | mandatory | `src/countdown.ts` |')
    expect(read('.github/workflows/grade.yml')).toContain('module: starter-module')
    const tsconfig = JSON.parse(read('tsconfig.json')) as { extends?: string; compilerOptions: Record<string, unknown> }
    expect([tsconfig.extends, tsconfig.compilerOptions['strict'], tsconfig.compilerOptions['outDir']]).toEqual([undefined, true, undefined])
    const pkg = JSON.parse(read('package.json')) as { name: string; scripts: Record<string, string> }
    expect([pkg.name, pkg.scripts['test']]).toEqual(['starter-module-starter', 'jest'])
    expect(() => exportStarter(reference, out)).toThrow('Expected `--out` to be an empty or new folder')
  })

  it('grades the starter 0 with "not implemented" on every task (from the command line, --strict fails)', async () => {
    const reports = join(out, '..', 'reports')
    const cli = join(__dirname, '..', '..', 'src', 'cli.ts')
    const failure = await run(process.execPath, [require.resolve('tsx/cli'), cli, 'grade', reference.dir, '--submission', out, '--out', reports, '--strict', '--quiet', '--root', REPO_ROOT], {
      env: { ...process.env, GITHUB_STEP_SUMMARY: '' },
    }).then(
      () => null,
      (error: unknown) => error as { code: number; stderr: string },
    )
    expect(failure).toMatchObject({ code: 1, stderr: '--strict: grade status is fail.\n' })
    const report = JSON.parse(readFileSync(join(reports, 'grade.json'), 'utf8')) as GradeReport
    expect([report.score, report.max_score]).toEqual([0, 6])
    expect(report.tasks.map((task) => [task.id, task.status, task.message])).toEqual([
      ['0', 'fail', 'not implemented: sum (src/sum.ts)'],
      ['1', 'fail', 'not implemented: Counter.constructor (src/counter.ts)'],
      ['2', 'fail', 'not implemented: countdown (src/countdown.ts)'],
      ['3', 'fail', 'not implemented: describeUser (src/describe-user.ts)'],
    ])
  }, 120_000)

  it('grades the reference full marks', async () => {
    const report = await gradeSubmission(reference, { root: REPO_ROOT, submissionDir: reference.dir })
    expect([report.status, report.score, report.max_score, report.modules[0]?.problems]).toEqual(['pass', 6, 6, []])
    expect(report.tests.find((test) => test.name === 'Task 0: sum a list › sums numbers')?.output).toBe('summing [ 1, 2, 3 ]\n')
  }, 120_000)
})
