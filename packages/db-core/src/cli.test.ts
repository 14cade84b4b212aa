import { DatabaseUnreachableError } from './errors'
import { cliExitCode, formatCliError, parseCliArgs, runCli, UsageError } from './cli'

function capture(): { lines: string[]; io: { out: (l: string) => void; err: (l: string) => void } } {
  const lines: string[] = []
  return { lines, io: { out: (l) => void lines.push(`out ${l}`), err: (l) => void lines.push(`err ${l}`) } }
}

describe('parseCliArgs', () => {
  const options = { csv: { type: 'string' }, rows: { type: 'string' } } as const

  it('drops a leading -- (pnpm 10 passes it through) and parses the rest', () => {
    expect(parseCliArgs({ args: ['--', '--csv', 'my.csv'], options }).values).toEqual({ csv: 'my.csv' })
    expect(parseCliArgs({ args: ['--rows', '5'], options }).values).toEqual({ rows: '5' })
  })

  it('throws a UsageError naming an unknown flag or a stray positional', () => {
    expect(() => parseCliArgs({ args: ['--', '--table', 'x'], options })).toThrow(UsageError)
    expect(() => parseCliArgs({ args: ['--table', 'x'], options })).toThrow(/--table/)
    expect(() => parseCliArgs({ args: ['--csv', 'a', 'extra'], options })).toThrow(UsageError)
  })
})

describe('formatCliError', () => {
  it('prints our errors by their message, others as Name: message, always one line and no stack', () => {
    const ours = new DatabaseUnreachableError('cannot reach MySQL at h:1: connection refused — is the server running? (url mysql://h:1/x)', { server: 'MySQL at h:1', url: 'mysql://h:1/x' })
    expect(formatCliError(ours)).toBe(ours.message)
    expect(formatCliError(new UsageError('Use either --csv or --rows, not both.'))).toBe('Use either --csv or --rows, not both.')
    expect(formatCliError(new TypeError('Expected `n` to be\n  a number'))).toBe('TypeError: Expected `n` to be a number')
    expect(formatCliError(Object.assign(new Error("ENOENT: no such file or directory, open 'x.csv'"), { code: 'ENOENT' }))).toBe("ENOENT: no such file or directory, open 'x.csv'")
    expect(formatCliError(new Error('plain'))).toBe('plain')
    expect(formatCliError(42)).toBe('42')
  })

  it('exits 2 for usage errors and 1 for the rest', () => {
    expect(cliExitCode(new UsageError('x'))).toBe(2)
    expect(cliExitCode(Object.assign(new TypeError('x'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }))).toBe(2)
    expect(cliExitCode(new Error('x'))).toBe(1)
    expect(cliExitCode(null)).toBe(1)
  })
})

describe('runCli', () => {
  it('prints a failure once, prefixed with the command, and resolves to 1', async () => {
    const { lines, io } = capture()
    const code = await runCli(
      () => Promise.reject(new DatabaseUnreachableError('cannot reach MySQL at h:1: connection refused', { server: 'MySQL at h:1', url: 'mysql://h:1/x' })),
      { name: 'seed', usage: 'usage: seed', io },
    )
    expect(code).toBe(1)
    expect(lines).toEqual(['err seed: cannot reach MySQL at h:1: connection refused'])
  })

  it('prints the usage after a usage error and resolves to 2; resolves to main’s code otherwise', async () => {
    const { lines, io } = capture()
    expect(await runCli(() => void parseCliArgs({ args: ['--nope'], options: {} }), { name: 'seed', usage: 'usage: seed', io })).toBe(2)
    expect(lines).toEqual([expect.stringMatching(/^err seed: Unknown option '--nope'/), 'err usage: seed'])
    expect(await runCli(() => 3, { name: 'x', io })).toBe(3)
    expect(await runCli(async () => {}, { name: 'x', io })).toBe(0)
  })
})
