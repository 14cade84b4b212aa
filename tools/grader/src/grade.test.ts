import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CourseModule } from './discover'
import { loadModule } from './discover'
import type { RunFacts } from './grade'
import { buildReport, checkMetadata, checkReadme, gradeModule, truncateOutput, withRunLogs } from './grade'
import type { JestReport, ReportedFile, ReportedTest } from './jest-report'
import type { TestFileAnalysis } from './test-files'
import { analyzeTestSource } from './test-files'
import type { Provenance } from './types'

let root: string
let demo: CourseModule

const TESTS = `describe('Task 0: first', () => {
  it('works', () => { expect(1).toBe(1) })
  it('also works', () => { expect(2).toBe(2) })
})
describe('Task 1: second', () => {
  it('spins', () => { for (;;) {} })
  it('never reached', () => { expect(3).toBe(3) })
})
`

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'grader-grade-'))
  const dir = join(root, 'packages', 'demo')
  mkdirSync(join(dir, 'src'), { recursive: true })
  writeFileSync(
    join(dir, 'tasks.json'),
    JSON.stringify({
      module: 'demo',
      title: 'Demo',
      tasks: [
        { id: '0', title: 'First', points: 2, files: ['src/first.ts'] },
        { id: '1', title: 'Second', points: 1, files: ['src/second.ts'] },
        { id: '2', title: 'Third', points: 1, kind: 'advanced', files: [] },
      ],
    }),
  )
  writeFileSync(join(dir, 'README.md'), '| 0 | First |\n| 1 | Second |\n| 2 | Third |\n')
  writeFileSync(join(dir, 'src/first.ts'), 'export const a = 1\n')
  writeFileSync(join(dir, 'src/second.ts'), 'export const b = 2\n')
  writeFileSync(join(dir, 'src/all.test.ts'), TESTS)
  demo = loadModule(dir, root)
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

function passed(ancestor: string, title: string): ReportedTest {
  return { ancestorTitles: [ancestor], title, fullName: `${ancestor} ${title}`, status: 'passed', durationMs: 2, failureMessages: [], failure: null }
}

function report(files: ReportedFile[], extra: Partial<JestReport> = {}): JestReport {
  return { schema: 'alx-jest-results/1', rootDir: demo.dir, filtered: false, jest: '30.0.0', node: 'v20', complete: true, startedAt: 0, finishedAt: 1, files, running: null, ...extra }
}

function facts(partial: Partial<RunFacts>): RunFacts {
  return {
    report: null,
    run: { mode: 'submission', replayed_from: null, turbo_hash: null, timed_out: false, duration_ms: 5 },
    compileErrors: [],
    compileFailure: null,
    runError: null,
    missingFiles: [],
    outputs: new Map(),
    timeoutMs: 20_000,
    ...partial,
  }
}

const analyses = (): TestFileAnalysis[] => [analyzeTestSource('src/all.test.ts', TESTS)]

describe('gradeModule', () => {
  it('marks the test a killed run was stuck in as timeout and the unreached ones as not run', () => {
    const file: ReportedFile = { path: 'src/all.test.ts', sha256: null, durationMs: null, execError: null, partial: true, tests: [passed('Task 0: first', 'works'), passed('Task 0: first', 'also works')] }
    const { module: graded, tests } = gradeModule(
      demo,
      analyses(),
      facts({ report: report([file], { complete: false, running: { file: 'src/all.test.ts', ancestorTitles: ['Task 1: second'], title: 'spins' } }), run: { mode: 'submission', replayed_from: null, turbo_hash: null, timed_out: true, duration_ms: 20_000 } }),
    )
    expect(tests.map((test) => [test.name, test.outcome, test.status])).toEqual([
      ['Task 0: first › works', 'pass', 'pass'],
      ['Task 0: first › also works', 'pass', 'pass'],
      ['Task 1: second › spins', 'timeout', 'error'],
      ['Task 1: second › never reached', 'timeout', 'error'],
    ])
    expect(tests[2]?.message).toBe('Timed out: the test was still running when the run was stopped after 20 s (an endless loop?).')
    expect(tests[3]?.message).toBe('Not run: the test run was stopped after 20 s before reaching this test.')
    expect(graded.tasks.map((task) => [task.id, task.status, task.score])).toEqual([
      ['0', 'pass', 2],
      ['1', 'timeout', 0],
      ['2', 'error', 0],
    ])
    expect(graded.tasks[2]?.message).toBe('Task 2 "Third" has no tests: add a top-level describe(\'Task 2: …\').')
    expect(graded.problems).toEqual(['Task 2 "Third" has no tests: add a top-level describe(\'Task 2: …\').'])
    expect(graded.status).toBe('fail')
    expect(graded.mandatory).toEqual({ score: 2, max_score: 3 })
  })

  it('gives every test of a file that could not load an error, and blames compile errors on the owning task', () => {
    const file: ReportedFile = { path: 'src/all.test.ts', sha256: null, durationMs: null, execError: { message: "Cannot find module './gone'", stack: '' }, tests: [] }
    const { module: graded } = gradeModule(demo, analyses(), facts({ report: report([file]), compileErrors: [{ file: 'src/second.ts', line: 3, message: 'TS2322: nope' }] }))
    expect(graded.tasks.map((task) => [task.status, task.message])).toEqual([
      ['error', "The test file could not run: Cannot find module './gone'"],
      ['error', 'Does not compile: src/second.ts:3 TS2322: nope'],
      ['error', 'Task 2 "Third" has no tests: add a top-level describe(\'Task 2: …\').'],
    ])
    expect(graded.status).toBe('error')
  })

  it('errors every task when no results were written', () => {
    const { module: graded } = gradeModule(demo, analyses(), facts({ runError: 'jest did not run (exit code 1): bad config' }))
    expect(graded.tasks.slice(0, 2).map((task) => task.message)).toEqual(['jest did not run (exit code 1): bad config', 'jest did not run (exit code 1): bad config'])
  })

  it('reports a broken tasks.json as a module error', () => {
    const broken: CourseModule = { ...demo, manifest: null, manifestError: 'tasks.json: `tasks` must be a non-empty array, got [].' }
    const { module: graded, tests } = gradeModule(broken, [], facts({}))
    expect([graded.status, graded.message, tests]).toEqual(['error', 'tasks.json: `tasks` must be a non-empty array, got [].', []])
  })
})

describe('checkMetadata', () => {
  it('flags tests outside any task, undeclared tasks, skipped tests and missing task files', () => {
    const source = `it('floats', () => {})\ndescribe('Task 9: ghost', () => { it('x', () => {}) })\ndescribe('Task 0: first', () => { it.skip('later', () => {}) })\n`
    const problems = checkMetadata({ ...demo, manifest: { ...demo.manifest!, tasks: [...demo.manifest!.tasks.slice(0, 1), { id: '1', title: 'Second', points: 1, kind: 'mandatory', files: ['src/missing.ts'] }] } }, [analyzeTestSource('src/x.test.ts', source)], [
      { file: 'src/y.test.ts', ancestorTitles: ['dynamic'], title: 'made at runtime' },
    ])
    expect(problems).toEqual([
      'src/x.test.ts:1 "floats" is not inside a top-level describe(\'Task N: …\').',
      'src/x.test.ts:2 "x" belongs to Task 9, which tasks.json does not declare.',
      'src/x.test.ts:3 "later" is skipped or todo; graded tests must run.',
      'src/y.test.ts "dynamic › made at runtime" is not inside a top-level describe(\'Task N: …\').',
      'Task 1 "Second" has no tests: add a top-level describe(\'Task 1: …\').',
      'Task 1 lists src/missing.ts, which does not exist.',
    ])
  })

  it('checkReadme accepts `0. Title` rows but not the 0 of 10 or 1.0', () => {
    const manifest = { module: 'demo', title: 'Demo', tasks: [{ id: '0', title: 'First', points: 1, kind: 'mandatory' as const, files: [] }] }
    const dir = mkdtempSync(join(tmpdir(), 'grader-readme-'))
    try {
      writeFileSync(join(dir, 'README.md'), '| 0. First | x |\n')
      expect(checkReadme(dir, manifest)).toEqual([])
      writeFileSync(join(dir, 'README.md'), '| 10 | First |\n| 1.0 | First |\n')
      expect(checkReadme(dir, manifest)).toHaveLength(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('checkReadme wants each task id and title on one line', () => {
    expect(checkReadme(demo.dir, { module: 'demo', title: 'Demo', tasks: [{ id: '7', title: 'Seventh', points: 1, kind: 'mandatory', files: [] }] })).toEqual([
      'README.md does not list Task 7 "Seventh" (a line with its id and title, e.g. a task-table row).',
    ])
  })
})

describe('buildReport', () => {
  const provenance = { grader: '0', commit: null, dirty: null, node: 'v20', jest: null, typescript: '5', platform: 'x', databases: ['sqlite'], generated_at: 'now', test_files: [], submission: null } satisfies Provenance

  it('is an Exercism error with a message when nothing could be graded', () => {
    expect(buildReport([], provenance, 1)).toMatchObject({ version: 3, status: 'error', message: 'No course modules found: no packages/*/tasks.json or apps/*/tasks.json.' })
  })

  it('sums scores over modules', () => {
    const graded = gradeModule(demo, analyses(), facts({ report: report([{ path: 'src/all.test.ts', sha256: null, durationMs: 1, execError: null, tests: [passed('Task 0: first', 'works'), passed('Task 0: first', 'also works'), passed('Task 1: second', 'spins'), passed('Task 1: second', 'never reached')] }]) }))
    expect(buildReport([graded], provenance, 1)).toMatchObject({ status: 'fail', message: null, score: 3, max_score: 4 })
  })
})

describe('truncateOutput', () => {
  it('keeps at most 500 characters and says it cut', () => {
    const cut = truncateOutput('x'.repeat(900))
    expect([cut.length, cut.endsWith('[output truncated to 500 characters]')]).toEqual([500, true])
    expect(truncateOutput('short')).toBe('short')
  })
})

describe('withRunLogs', () => {
  const failed = { outcome: 'fail' as const, message: 'expect(received).toBe(expected)\n\nExpected: 200\nReceived: 500', expected: '200', actual: '500', notImplemented: false, networkBlocked: false }

  it('calls a failure during which a starter stub threw "not implemented", naming the stub, the assertion kept below', () => {
    expect(withRunLogs(failed, ['sendMessage (src/messages.ts)'], undefined)).toEqual({
      outcome: 'fail',
      message: 'not implemented: sendMessage (src/messages.ts)\n\nThe test then failed: expect(received).toBe(expected)\n\nExpected: 200\nReceived: 500',
      expected: null,
      actual: null,
      notImplemented: true,
      networkBlocked: false,
    })
  })

  it('never relabels a pass (a forged log cannot turn a failure into a pass either)', () => {
    const passed = { ...failed, outcome: 'pass' as const, message: null, expected: null, actual: null }
    expect(withRunLogs(passed, ['sendMessage (src/messages.ts)'], 'Network access is blocked')).toBe(passed)
    expect(withRunLogs(failed, [], undefined)).toBe(failed)
  })

  it('explains a failure by a blocked connection when no stub threw', () => {
    expect(withRunLogs(failed, undefined, 'Network access is blocked by the grader')).toMatchObject({ message: 'Network access is blocked by the grader', networkBlocked: true, notImplemented: false })
  })
})
