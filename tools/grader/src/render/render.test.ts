import type { GradeReport, GradedModule, GradedTask, GradedTest } from '../types'
import { renderJunit } from './junit'
import { renderMarkdown } from './markdown'
import { renderScoreboard } from './scoreboard'

const task = (id: string, status: GradedTask['status'], extra: Partial<GradedTask> = {}): GradedTask => ({
  module: 'demo',
  id,
  task_id: Number(id) + 1,
  title: `Title ${id}`,
  kind: 'mandatory',
  status,
  score: status === 'pass' ? 1 : 0,
  max_score: 1,
  message: status === 'pass' ? null : 'why',
  tests: { total: 1, passed: status === 'pass' ? 1 : 0 },
  duration_ms: 3,
  first_failure: status === 'pass' ? null : { test: `Task ${id}: t › does <it>`, message: 'boom & bust', expected: status === 'fail' ? '6' : null, actual: status === 'fail' ? '7' : null },
  ...extra,
})

const test = (id: string, outcome: GradedTest['outcome']): GradedTest => ({
  name: `Task ${id}: t › does <it>`,
  status: outcome === 'timeout' ? 'error' : outcome,
  message: outcome === 'pass' ? null : 'boom & bust',
  output: outcome === 'pass' ? null : 'printed "x"',
  test_code: 'expect(1).toBe(1)',
  task_id: Number(id) + 1,
  module: 'demo',
  task: id,
  outcome,
  file: 'src/a.test.ts',
  line: 3,
  duration_ms: 3,
  expected: outcome === 'fail' ? '6' : null,
  actual: outcome === 'fail' ? '7' : null,
})

const tasks = [task('0', 'pass'), task('1', 'fail'), task('2', 'timeout'), task('3', 'error', { message: 'not implemented' })]
const demo: GradedModule = {
  name: 'demo',
  title: 'Demo module',
  package: '@alx/demo',
  dir: 'packages/demo',
  status: 'fail',
  score: 1,
  max_score: 4,
  mandatory: { score: 1, max_score: 4 },
  message: '3 of 4 tasks not passed.',
  problems: ['Task 9 "x" has no tests.'],
  run: { mode: 'turbo', replayed_from: 'turbo', turbo_hash: 'abc', timed_out: false, duration_ms: 10 },
  tasks,
}
const report: GradeReport = {
  version: 3,
  status: 'fail',
  message: null,
  tests: [test('0', 'pass'), test('1', 'fail'), test('2', 'timeout'), test('3', 'error')],
  score: 1,
  max_score: 4,
  tasks,
  modules: [demo],
  duration_ms: 1234,
  provenance: { grader: '0.1.0', commit: '0123456789abcdef', dirty: false, node: 'v20.20.2', jest: '30.5.2', typescript: '5.9.3', platform: 'linux-x64', databases: ['sqlite'], generated_at: 'now', test_files: [], submission: null },
}

describe('renderScoreboard', () => {
  const text = renderScoreboard(report, { width: 80 })

  it('shows each task with its status, points and first failure', () => {
    expect(text).toContain('demo  Demo module  1/4 fail (replayed from turbo cache)')
    expect(text).toMatch(/✔ pass {4}Task 0 {2}Title 0 +1\/1 {2}1\/1 tests/)
    expect(text).toContain('› does <it>: expected 6, received 7')
    expect(text).toContain('⏱ timeout Task 2')
    expect(text).toContain('› not implemented')
    expect(text).toContain('! metadata Task 9 "x" has no tests.')
  })

  it('ends with the totals', () => {
    expect(text.trimEnd().split('\n').at(-1)).toBe('Total  1/4 points (25%)  ·  1 modules, 4 tasks: 1 pass, 1 fail, 1 error, 1 timeout  ·  1 replayed from cache')
  })
})

describe('renderJunit', () => {
  const xml = renderJunit(report)

  it('writes one suite per task with escaped failures', () => {
    expect(xml.match(/<testsuite /g)).toHaveLength(4)
    expect(xml).toContain('<testsuites name="alx grade" tests="4" failures="1" errors="2" time="1.234">')
    expect(xml).toContain('<failure message="boom &amp; bust" type="fail">boom &amp; bust\nExpected: 6\nReceived: 7</failure>')
    expect(xml).toContain('<error message="boom &amp; bust" type="timeout">')
    expect(xml).toContain('<system-out>printed &quot;x&quot;</system-out>')
    expect(xml).not.toMatch(/<it>/)
  })
})

describe('renderMarkdown', () => {
  it('writes a table row per task, the problems and the provenance', () => {
    const markdown = renderMarkdown(report)
    expect(markdown).toContain('## Grade: 1 / 4 points (25%)')
    expect(markdown).toContain('| demo | 1. Title 1 | ❌ fail | 0/1 | does <it>: expected 6, received 7 |')
    expect(markdown).toContain('- **demo**: Task 9 "x" has no tests.')
    expect(markdown).toContain('commit 0123456789ab · Node v20.20.2 · jest 30.5.2 · sqlite · grader 0.1.0')
  })
})
