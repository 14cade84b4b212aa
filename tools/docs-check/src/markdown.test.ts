import { extractShellBlocks } from './markdown'

describe('extractShellBlocks', () => {
  it('finds sh and bash blocks with their lines, and ignores other languages', () => {
    const md = ['# T', '', '```sh', 'echo a', '```', '', '```ts', 'const x = 1', '```', '```bash', 'echo b', 'echo c', '```'].join('\n')
    const blocks = extractShellBlocks(md, 'R.md')
    expect(blocks.map((b) => [b.line, b.code])).toEqual([[3, 'echo a'], [10, 'echo b\necho c']])
    expect(blocks.every((b) => b.notRunnable === null && b.expectedOutput === null)).toBe(true)
  })

  it('reads the not-runnable reason from a comment before the block or from the info string', () => {
    const md = ['<!-- not-runnable: needs 1M rows -->', '', '```sh', 'seed', '```', '```sh not-runnable: installs globally', 'npm i -g x', '```'].join('\n')
    expect(extractShellBlocks(md, 'R.md').map((b) => b.notRunnable)).toEqual(['needs 1M rows', 'installs globally'])
  })

  it('a comment further up does not mark the block', () => {
    const md = ['<!-- not-runnable: slow -->', 'some text', '```sh', 'echo', '```'].join('\n')
    expect(extractShellBlocks(md, 'R.md')[0]?.notRunnable).toBeNull()
  })

  it('refuses a not-runnable mark without a reason', () => {
    expect(() => extractShellBlocks('<!-- not-runnable: -->\n```sh\necho\n```', 'R.md')).toThrow(/R\.md:2: .*must say why/)
  })

  it('takes the ```text output block right after as the expected output, and only that one', () => {
    const md = ['```sh', 'echo hi', '```', '', '```text output', 'hi', '```', '```sh', 'echo x', '```', 'prose', '```text output', 'x', '```', '```sh', 'echo y', '```', '```text', 'y', '```'].join('\n')
    expect(extractShellBlocks(md, 'R.md').map((b) => b.expectedOutput)).toEqual(['hi', null, null])
  })

  it('does not end a block at a longer fence inside it', () => {
    const md = ['````sh', 'cat <<X', '```', 'X', '````'].join('\n')
    expect(extractShellBlocks(md, 'R.md')[0]?.code).toBe('cat <<X\n```\nX')
  })
})
