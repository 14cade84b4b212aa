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
    root = makeWorkspace(['graded-module', 'starter-module'])
    first = await gradeRepository(root, discoverModules(root), { timeoutMs: 240_000, cacheDir: join(root, '.grader-cache') })
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
      ['starter-module', 'pass', 6, 6],
    ])
    expect([first.status, first.score, first.max_score]).toEqual(['fail', 8, 12])
    expect(first.modules.map((module) => [module.run.mode, module.run.replayed_from, module.run.turbo_hash?.length])).toEqual([
      ['turbo', null, 16],
      ['turbo', null, 16],
    ])
    expect(first.provenance.test_files.find((file) => file.path === 'packages/starter-module/test/countdown.test.ts')?.sha256).toBe(
      sha256(join(root, 'packages/starter-module/test/countdown.test.ts')),
    )
  })

  it('replays an unchanged workspace from cache: turbo for the passing module, the grader cache for the failing one', async () => {
    const again = await gradeRepository(root, discoverModules(root), { timeoutMs: 240_000, cacheDir: join(root, '.grader-cache') })
    expect(normalize(again)).toEqual(normalize(first))
    expect(again.modules.map((module) => [module.name, module.run.replayed_from, module.run.turbo_hash])).toEqual(
      first.modules.map((module) => [module.name, module.name === 'graded-module' ? 'grader' : 'turbo', module.run.turbo_hash]),
    )
    expect(again.provenance.test_files).toEqual(first.provenance.test_files)
  }, 300_000)
})
