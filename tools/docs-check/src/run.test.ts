import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ShellBlock } from './markdown'
import { commandsOf, runBlock } from './run'

const block = (code: string, extra: Partial<ShellBlock> = {}): ShellBlock => ({ file: 'R.md', line: 1, code, notRunnable: null, expectedOutput: null, ...extra })
let repo: string
beforeAll(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'docs-check-run-'))
})
afterAll(() => rmSync(repo, { recursive: true, force: true }))

describe('runBlock', () => {
  it('passes when every command exits 0 and the output matches', async () => {
    const r = await runBlock(block('echo one   # a comment\nexport X=two\necho "$X"', { expectedOutput: 'one\ntwo' }), { repo, mysql: null })
    expect(r).toMatchObject({ status: 'passed', exitCode: 0, stdout: 'one\ntwo\n' })
  })

  it('fails on the first failing command, naming it, also inside a pipe', async () => {
    const r = await runBlock(block('echo -n\nfalse | cat\necho never'), { repo, mysql: null })
    expect(r.status).toBe('failed')
    expect(r.stdout).toBe('')
    expect(r.reason).toBe('exit code 1 from: false | cat')
  })

  it('fails when the output differs from the README', async () => {
    const r = await runBlock(block('echo 3', { expectedOutput: '4' }), { repo, mysql: null })
    expect(r).toMatchObject({ status: 'failed', reason: 'the output differs from the one the README shows' })
  })

  it('runs in the repository copy, not in the check\'s folder, without the check\'s DATABASE_URL', async () => {
    const saved = process.env.DATABASE_URL
    process.env.DATABASE_URL = 'sqlite:/nowhere.db'
    try {
      const r = await runBlock(block('pwd; echo "url=${DATABASE_URL:-unset}"'), { repo, mysql: null })
      expect(r.stdout).toBe(`${repo}\nurl=unset\n`)
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL
      else process.env.DATABASE_URL = saved
    }
  })

  it('does not run a not-runnable block', async () => {
    const r = await runBlock(block('exit 1', { notRunnable: 'slow' }), { repo, mysql: null })
    expect(r).toMatchObject({ status: 'not-runnable', reason: 'slow', exitCode: null })
  })

  it('without MySQL leaves out the commands naming mysql:// and does not compare the output', async () => {
    const r = await runBlock(block('echo a\nDATABASE_URL=mysql://root@h/x echo b', { expectedOutput: 'a\nb' }), { repo, mysql: null })
    expect(r).toMatchObject({ status: 'passed', stdout: 'a\n', leftOut: ['DATABASE_URL=mysql://root@h/x echo b'] })
    const all = await runBlock(block('MYSQL_URL=mysql://h/x pnpm test'), { repo, mysql: null })
    expect(all.status).toBe('skipped')
  })

  it('kills a block that outlives its timeout', async () => {
    const started = Date.now()
    const r = await runBlock(block('sleep 30'), { repo, mysql: null, timeoutMs: 300 })
    expect(r.status).toBe('failed')
    expect(r.stderr).toContain('timed out')
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('commandsOf', () => {
  it('joins backslash-continued lines', () => {
    expect(commandsOf('a \\\n  b\nc')).toEqual(['a \\\n  b', 'c'])
  })
})
