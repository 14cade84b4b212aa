import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { discoverModules } from '../../src/discover'
import { gradeRepository } from '../../src/run-grade'
import type { GradeReport } from '../../src/types'
import { FIXTURES, makeWorkspace, normalize, sha256 } from '../helpers'

// `pnpm grade` on a throwaway workspace holding the two fixture modules, with the repository's real turbo.json.
describe('grading the repository through turbo', () => {
  let root: string
  let first: GradeReport

  beforeAll(async () => {
    root = makeWorkspace(['graded-module', 'spinning-module', 'starter-module', 'task-module'])
    first = await gradeRepository(root, discoverModules(root), { timeoutMs: 15_000, runTimeoutMs: 240_000, cacheDir: join(root, '.grader-cache') })
  }, 300_000)

  afterAll(() => {
    rmSync(root, { recursive: true, force: true })
  })

  it('grades each module exactly as expected, compile error included (from the typecheck task)', () => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected', 'graded-module.grade.json'), 'utf8')) as { tests: unknown[]; modules: unknown[] }
    const actual = normalize(first) as { tests: { module: string }[]; modules: { name: string }[] }
    expect(actual.modules.find((module) => module.name === 'graded-module')).toEqual(expected.modules[0])
    expect(actual.tests.filter((test) => test.module === 'graded-module')).toEqual(expected.tests)
    expect(first.modules.map((module) => [module.name, module.status, module.score, module.max_score])).toEqual([
      ['graded-module', 'fail', 2, 6],
      ['spinning-module', 'fail', 1, 2],
      ['starter-module', 'pass', 6, 6],
      ['task-module', 'pass', 4, 4],
    ])
    expect([first.status, first.score, first.max_score]).toEqual(['fail', 13, 18])
    // A module with graded task tests: only its graded files count (its own src/add.test.ts ran, ungraded).
    expect(new Set(first.tests.filter((test) => test.module === 'task-module').map((test) => test.file))).toEqual(
      new Set(['test/tasks/task-0.test.ts', 'test/tasks/task-1.test.ts', 'test/tasks/task-2.test.ts']),
    )
    expect(first.modules.find((module) => module.name === 'task-module')?.problems).toEqual([])
    expect(first.modules.map((module) => [module.run.mode, module.run.replayed_from, module.run.turbo_hash?.length, module.run.timed_out])).toEqual([
      ['turbo', null, 16, false],
      ['turbo', null, 16, true],
      ['turbo', null, 16, false],
      ['turbo', null, 16, false],
    ])
    expect(first.provenance.test_files.find((file) => file.path === 'packages/starter-module/test/countdown.test.ts')?.sha256).toBe(
      sha256(join(root, 'packages/starter-module/test/countdown.test.ts')),
    )
  })

  it('stops a module spinning in a synchronous loop and still grades the rest of it and the other modules', () => {
    const spinning = first.tasks.filter((task) => task.module === 'spinning-module')
    expect(spinning.map((task) => [task.id, task.status, task.message])).toEqual([
      ['0', 'pass', null],
      ['1', 'timeout', 'Timed out: the test was still running when the run was stopped after 15 s (an endless loop?).'],
    ])
  })

  it('replays an unchanged workspace from cache: turbo for the passing module, the grader cache for the failing one', async () => {
    const modules = discoverModules(root).filter((module) => module.name !== 'spinning-module')
    const again = await gradeRepository(root, modules, { timeoutMs: 15_000, runTimeoutMs: 240_000, cacheDir: join(root, '.grader-cache') })
    const only = (report: GradeReport): unknown => {
      const normalized = normalize(report) as { tests: { module: string }[]; tasks: { module: string }[]; modules: { name: string }[] }
      const keep = (name: string): boolean => name !== 'spinning-module'
      return [normalized.tests.filter((test) => keep(test.module)), normalized.tasks.filter((task) => keep(task.module)), normalized.modules.filter((module) => keep(module.name))]
    }
    expect(only(again)).toEqual(only(first))
    expect(again.modules.map((module) => [module.name, module.run.replayed_from])).toEqual([
      ['graded-module', 'grader'],
      ['starter-module', 'turbo'],
      ['task-module', 'turbo'],
    ])
    expect(again.provenance.test_files).toEqual(first.provenance.test_files.filter((file) => file.module !== 'spinning-module'))
  }, 300_000)
})
