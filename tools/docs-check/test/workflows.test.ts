// The GitHub workflows: valid against GitHub's workflow schema, one pnpm version source, and what CI must run.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { findRepoRoot, pnpmVersionProblems, validateWorkflowText, workflowFiles } from '../src'

const root = findRepoRoot()
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { packageManager?: string }
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8')

describe('GitHub workflows', () => {
  it('there are ci.yml and grade.yml', () => {
    expect(workflowFiles(root)).toEqual(['.github/workflows/ci.yml', '.github/workflows/grade.yml'])
  })

  it.each(workflowFiles(root))('%s is valid against the workflow schema', (file) => {
    expect(validateWorkflowText(read(file))).toEqual([])
  })

  it('the schema check catches a misspelt key and a job without runs-on', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        wth: {}\n  b:\n    steps:\n      - run: echo\n'
    const problems = validateWorkflowText(broken)
    expect(problems.map((p) => p.message).join('\n')).toMatch(/wth/)
    expect(problems.some((p) => p.path.startsWith('/jobs/b'))).toBe(true)
  })

  it.each(workflowFiles(root))('%s: pnpm/action-setup gives no version that disagrees with packageManager', (file) => {
    expect(packageJson.packageManager).toMatch(/^pnpm@10\./)
    expect(pnpmVersionProblems(read(file), packageJson)).toEqual([])
  })

  it('the action-setup rule: a version beside packageManager must agree with it', () => {
    const wf = (version: string): string => `on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: pnpm/action-setup@v4\n${version}`
    expect(pnpmVersionProblems(wf('        with:\n          version: 10\n'), { packageManager: 'pnpm@10.34.9' })).toEqual([
      'jobs.t.steps[0]: pnpm/action-setup has version 10 while package.json has packageManager "pnpm@10.34.9": drop `version`',
    ])
    expect(pnpmVersionProblems(wf('        with:\n          version: 10.34.9\n'), { packageManager: 'pnpm@10.34.9' })).toEqual([])
    expect(pnpmVersionProblems(wf(''), { packageManager: 'pnpm@10.34.9' })).toEqual([])
    expect(pnpmVersionProblems(wf('        with:\n          version: 10\n'), {})).toEqual([])
  })

  describe('ci.yml', () => {
    interface Job { strategy?: { matrix?: { node?: unknown[] } }; services?: Record<string, { image?: string }>; env?: Record<string, string>; steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }> }
    const ci = parse(read('.github/workflows/ci.yml')) as { jobs: Record<string, Job> }
    const job = Object.values(ci.jobs)[0] as Job

    it('tests on Node 20, 22 and 24 with MariaDB, Redis and PostgreSQL 15 services and their URLs', () => {
      expect(job.strategy?.matrix?.node).toEqual([20, 22, 24])
      expect(Object.values(job.services ?? {}).map((s) => s.image?.split(':')[0])).toEqual(expect.arrayContaining(['mariadb', 'redis', 'postgres']))
      expect(job.services?.postgres?.image).toBe('postgres:15')
      expect(Object.keys(job.env ?? {})).toEqual(expect.arrayContaining(['MYSQL_URL', 'REDIS_URL', 'PG_URL']))
    })

    it('runs pnpm turbo test and pnpm grade, and appends the scoreboard to the job summary', () => {
      const runs = job.steps.map((s) => s.run ?? '').join('\n')
      expect(runs).toMatch(/pnpm turbo test/)
      expect(runs).toMatch(/pnpm grade/)
      expect(runs).toMatch(/GITHUB_STEP_SUMMARY/)
      expect(job.steps.find((s) => s.uses?.startsWith('pnpm/action-setup@'))?.with?.version).toBeUndefined()
    })
  })
})
