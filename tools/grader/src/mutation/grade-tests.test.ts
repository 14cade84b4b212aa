// The round trip of mutation grading on the real unittests-0x03 module: starter 0, reference and the alternative
// suite (written from tasks.md alone) full marks with every mutant killed, a weak suite low with its survivors
// listed (and its real network call blocked), and a suite without assertions killing no mutant at all.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { loadModule } from '../discover'
import { readMutationConfig } from './config'
import { gradeTestSubmission } from './grade-tests'
import type { MutationGradeReport } from './grade-tests'

const ROOT = resolve(__dirname, '..', '..', '..', '..')
const MODULE = loadModule(join(ROOT, 'packages', 'unittests-0x03'), ROOT)
const FIXTURES = resolve(__dirname, '..', '..', 'test', 'fixtures', 'mutation')
const CONFIG = readMutationConfig(MODULE.dir)
const TIMEOUT = 240_000

const grade = (submissionDir: string): Promise<MutationGradeReport> => gradeTestSubmission(MODULE, { root: ROOT, submissionDir, workers: 2 })
const scores = (report: MutationGradeReport): Record<string, number> => Object.fromEntries(report.tasks.map((task) => [task.id, task.score]))

describe('gradeTestSubmission on unittests-0x03', () => {
  test(
    'the reference tests kill every mutant: full marks',
    async () => {
      const report = await grade(MODULE.dir)
      expect(report.mutation.mutants.filter((mutant) => mutant.status !== 'killed')).toEqual([])
      expect(report.mutation.mutants).toHaveLength(CONFIG.mutants.length)
      expect(report.score).toBe(10)
      expect(report.status).toBe('pass')
      expect(report.tasks.every((task) => task.status === 'pass' && task.message === null)).toBe(true)
      // Each mutant is killed by a test of its own task.
      for (const mutant of report.mutation.mutants) expect(mutant.killedBy).toMatch(new RegExp(`^Task ${mutant.task}: `))
    },
    TIMEOUT,
  )

  test(
    'the alternative suite, written from tasks.md alone in another style, gets full marks',
    async () => {
      const report = await grade(join(MODULE.dir, 'solutions', 'alternative'))
      expect(report.mutation.mutants.filter((mutant) => mutant.status !== 'killed').map((mutant) => mutant.id)).toEqual([])
      expect(report.score).toBe(10)
    },
    TIMEOUT,
  )

  test(
    'the starter (no test files) grades 0, every task saying which file is missing',
    async () => {
      const empty = mkdtempSync(join(tmpdir(), 'starter-0x03-'))
      try {
        const report = await grade(empty)
        expect(report.score).toBe(0)
        expect(report.tasks.map((task) => task.message)).toEqual(
          report.tasks.map((task) => `Missing file: the submission has no ${Number(task.id) <= 3 ? 'test/utils.test.ts' : 'test/client.test.ts'}.`),
        )
        expect(report.mutation.mutants.every((mutant) => mutant.status === 'not-run')).toBe(true)
      } finally {
        rmSync(empty, { recursive: true, force: true })
      }
    },
    TIMEOUT,
  )

  test(
    'a weak suite grades low: survivors listed one per line, a real network call blocked, a test wrong on correct code failing its task',
    async () => {
      const report = await grade(join(FIXTURES, 'weak'))
      expect(report.score).toBeLessThan(4)
      const task = (id: string): MutationGradeReport['tasks'][number] => report.tasks.find((entry) => entry.id === id) as MutationGradeReport['tasks'][number]
      // Task 2 tried http://example.com for real: blocked by the grader, so the test fails on the provided code.
      expect(task('2')).toMatchObject({ status: 'fail', score: 0 })
      expect(task('2').message).toMatch(/^your test "Task 2: getJson › fetches example.com for real" fails on the provided \(correct\) code: Network access is blocked by the grader: the code tried to connect to example.com:80/)
      // Task 5 expects the wrong URL: it fails on correct code, with jest's message.
      expect(task('5').message).toMatch(/^your test "Task 5: publicReposUrl › is the org URL" fails on the provided \(correct\) code: /)
      // Task 3 asserts the value and that the method ran, not how often: the double call survives.
      expect(report.mutation.tasks.find((entry) => entry.id === '3')?.survivors).toEqual([
        'your Task 3 tests still pass when memoize calls the method every time (nothing is cached)',
        'your Task 3 tests still pass when memoize calls the method twice on the first read',
        'your Task 3 tests still pass when memoize returns undefined on the second read (from its cache)',
      ])
      // Task 7 opened a raw socket (below nock): the grader's network guard refused it, and the task says so.
      expect(task('7')).toMatchObject({ status: 'fail', score: 0 })
      expect(task('7').message).toMatch(/fails on the provided \(correct\) code: Network access is blocked by the grader: the code tried to connect to example\.com:80\./)
      // Task 0 has one test for three course cases: the demand is reported too.
      expect(report.mutation.tasks.find((entry) => entry.id === '0')?.survivors).toContain(
        "Task 0 asks for one test per course case (test.each): ({a: 1}, ['a']), ({a: {b: 2}}, ['a']), ({a: {b: 2}}, ['a', 'b']): 3 tests, your Task 0 has 1",
      )
      // Tasks 8 and 9 have no tests at all.
      expect(task('8').message).toBe("no tests for Task 8: write them in test/client.test.ts under describe('Task 8: …')")
      expect(scores(report)).toMatchObject({ '2': 0, '5': 0, '7': 0, '8': 0, '9': 0 })
    },
    TIMEOUT,
  )

  test(
    'every mutant survives a suite that runs every scenario without an assertion',
    async () => {
      const report = await grade(join(FIXTURES, 'no-assertions'))
      expect(report.mutation.mutants.filter((mutant) => mutant.status !== 'survived').map((mutant) => `${mutant.id}: ${mutant.killedBy ?? mutant.status}`)).toEqual([])
      expect(report.tasks.every((task) => task.status === 'fail')).toBe(true)
      expect(report.score).toBe(0)
    },
    TIMEOUT,
  )

  test(
    'both isolations (a module registry per mutant, a test file per mutant) judge every mutant the same',
    async () => {
      const outcomes = async (isolation: 'registry' | 'file'): Promise<string[]> => {
        const report = await gradeTestSubmission(MODULE, { root: ROOT, submissionDir: join(FIXTURES, 'weak'), workers: 2, isolation, tasks: ['0', '1', '3', '4', '6'] })
        return report.mutation.mutants.map((mutant) => `${mutant.id}: ${mutant.status}`)
      }
      const registry = await outcomes('registry')
      expect(registry.filter((line) => line.endsWith(': killed')).length).toBeGreaterThan(0)
      expect(registry.filter((line) => line.endsWith(': survived')).length).toBeGreaterThan(0)
      expect(await outcomes('file')).toEqual(registry)
    },
    TIMEOUT,
  )
})
