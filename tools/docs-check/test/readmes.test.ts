// Every shell block of every README runs as written, on a scratch copy of the repository (SQLite; MariaDB for the
// commands that name a mysql:// URL when MYSQL_URL is set), and prints what the README shows.
import { blockName, describeFailure, findReadmes, findRepoRoot, makeScratch, openMysqlScratch, readmeBlocks, runBlock } from '../src'
import type { MysqlScratch, Scratch } from '../src'

const root = findRepoRoot()
const blocks = readmeBlocks(root)
let scratch: Scratch
let mysql: MysqlScratch | null = null

beforeAll(async () => {
  scratch = makeScratch(root)
  const url = process.env.MYSQL_URL
  if (url !== undefined && url !== '') mysql = await openMysqlScratch(url)
})
afterAll(async () => {
  await mysql?.close()
  scratch.dispose()
})

describe('READMEs', () => {
  it('every workspace README is read, the root one first', () => {
    const readmes = findReadmes(root)
    expect(readmes[0]).toBe('README.md')
    expect(readmes).toEqual(expect.arrayContaining(['packages/generators-0x00/README.md', 'apps/messaging-app/README.md', 'tools/grader/README.md']))
    expect(blocks.filter((b) => b.notRunnable === null).length).toBeGreaterThan(5)
  })

  it.each(blocks.map((b) => [blockName(b), b] as const))('%s runs as written', async (_name, block) => {
    const result = await runBlock(block, { repo: scratch.repo, mysql, timeoutMs: 150_000 })
    if (result.status === 'failed') throw new Error(describeFailure(result))
    if (result.status === 'not-runnable') expect(result.reason).toMatch(/\w{3,}/)
    else expect(['passed', 'skipped']).toContain(result.status)
  }, 180_000)
})
