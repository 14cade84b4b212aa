// The modules' demos share one database (DATABASE_URL, else the embedded SQLite file): each must print the same
// whatever ran before it and however often it runs — run here as a learner runs them, in the scratch copy.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { findRepoRoot, makeScratch } from '../src'
import type { Scratch } from '../src'

const DEMOS = ['@alx/decorators-0x01', '@alx/context-async-0x02', '@alx/generators-0x00'] as const
let scratch: Scratch

beforeAll(() => {
  scratch = makeScratch(findRepoRoot())
})
afterAll(() => scratch.dispose())

function demo(pkg: string, env: NodeJS.ProcessEnv): string {
  const run = spawnSync('pnpm', ['--silent', '--filter', pkg, 'demo'], { cwd: scratch.repo, env, encoding: 'utf8', timeout: 120_000 })
  if (run.status !== 0) throw new Error(`${pkg} demo exited ${String(run.status)}: ${run.stderr}`)
  return run.stdout
}

describe('the demos, one database', () => {
  it('print the same in any order and when run again (the reverse order is every demo\'s second run)', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `sqlite:${path.join(scratch.dir, 'shared.sqlite')}`, NO_COLOR: '1' }
    for (const key of Object.keys(env)) if (/^(npm_|INIT_CWD$|TURBO_|JEST_WORKER_ID$|NODE_ENV$)/.test(key)) delete env[key]
    const forward = DEMOS.map((pkg) => demo(pkg, env))
    const backward = [...DEMOS].reverse().map((pkg) => demo(pkg, env)).reverse()
    expect(backward).toEqual(forward)
    // what the issue saw: the context-async demo lists its seven users after the decorators demo reset `users` to five
    expect(forward[1]).toContain("(7, 'Priya Sharma', 'priya@example.org', 29)")
    expect(forward[0]).toContain("(5, 'Margaret Hamilton', 'margaret@example.com', 88)]")
    expect(forward[2]).toContain('Database ALX_prodev is present ')
  }, 400_000)
})
