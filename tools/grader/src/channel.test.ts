import { ResultsChannel } from './channel'
import { checkReported } from './run-submission'
import type { JestReport } from './jest-report'
import { analyzeTestSource } from './test-files'

const complete = (files: JestReport['files']): JestReport => ({ schema: 'alx-jest-results/1', rootDir: '/w', filtered: false, jest: '30', node: 'v20', complete: true, startedAt: 1, finishedAt: 2, files, running: null })
const passed = (ancestorTitles: string[], title: string): JestReport['files'][number]['tests'][number] => ({ ancestorTitles, title, fullName: [...ancestorTitles, title].join(' '), status: 'passed', durationMs: 1, failureMessages: [], failure: null })

describe('ResultsChannel', () => {
  it('takes the lines carrying its nonce and flags anything else, and lines after the complete report', () => {
    const channel = new ResultsChannel()
    channel.feed(`${channel.nonce} ${JSON.stringify({ type: 'start', schema: 'alx-jest-results/1', rootDir: '/w' })}`)
    expect(channel.problems).toEqual([])
    channel.feed(JSON.stringify({ type: 'complete', report: complete([]) }))
    expect(channel.problems).toEqual(["something other than the grader's reporter wrote on its results channel"])
    channel.feed(`${channel.nonce} ${JSON.stringify({ type: 'complete', report: complete([]) })}`)
    expect(channel.report()?.complete).toBe(true)
    channel.feed(`${channel.nonce} ${JSON.stringify({ type: 'complete', report: complete([]) })}`)
    expect(channel.problems).toContain('results arrived after the complete report')
  })

  it('without a complete report, the progress events make an incomplete report', () => {
    const channel = new ResultsChannel()
    channel.feed(`${channel.nonce} ${JSON.stringify({ type: 'start', schema: 'alx-jest-results/1', rootDir: '/w' })}`)
    channel.feed(`${channel.nonce} ${JSON.stringify({ type: 'case-start', file: 'a.test.ts', ancestorTitles: ['Task 0: x'], title: 'spins' })}`)
    expect(channel.report()).toMatchObject({ complete: false, running: { file: 'a.test.ts', title: 'spins' } })
  })
})

describe('checkReported', () => {
  const analysis = analyzeTestSource('t.test.ts', "describe('Task 0: add', () => {\n  it('adds', () => {})\n  it('rejects', () => {})\n})\n")
  it('accepts each official test once, and names a missing, a doubled and an unknown one', () => {
    expect(checkReported([analysis], complete([{ path: 't.test.ts', sha256: null, durationMs: 1, execError: null, tests: [passed(['Task 0: add'], 'adds'), passed(['Task 0: add'], 'rejects')] }]))).toEqual([])
    const problems = checkReported([analysis], complete([{ path: 't.test.ts', sha256: null, durationMs: 1, execError: null, tests: [passed(['Task 0: add'], 'adds'), passed(['Task 0: add'], 'adds'), passed(['Task 0: add'], 'forged')] }]))
    expect(problems).toEqual([
      't.test.ts reported a test that is not an official one: "Task 0: add › forged"',
      'the official test "Task 0: add › adds" (t.test.ts:2) was reported 2 times',
      'the official test "Task 0: add › rejects" (t.test.ts:3) was never reported',
    ])
  })

  it('a test declared in a helper a describe calls runs under more describes than written: still official', () => {
    const helper = analyzeTestSource('h.test.ts', "function suite() {\n  it('works', () => {})\n}\ndescribe('Task 1: db', () => {\n  describe('on SQLite', () => suite())\n})\n")
    const run = (ancestors: string[], title: string): string[] => checkReported([helper], complete([{ path: 'h.test.ts', sha256: null, durationMs: 1, execError: null, tests: [passed(ancestors, title)] }]))
    expect(run(['Task 1: db', 'on SQLite'], 'works')).toEqual([])
    expect(run(['Task 1: db', 'on SQLite'], 'forged')).toHaveLength(2)
  })
})
