import { rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { mkdtempSync as mkdtemp, writeFileSync } from 'node:fs'
import net from 'node:net'
import { openDatabase, UsageError } from '@alx/db-core'
import { parseSeedArgs, runSeedCli, SEED_USAGE } from './cli-seed'
import { connectDb, createDatabase, databaseExists } from './seed'

describe('Task 0: the seed CLI and seed functions (unit, SQLite)', () => {
  it('parses --csv, --rows, --url and --name', () => {
    expect(parseSeedArgs([])).toEqual({ csv: undefined, rows: undefined, url: undefined, name: 'ALX_prodev' })
    expect(parseSeedArgs(['--rows', '1000000', '--url', 'sqlite::memory:'])).toMatchObject({ rows: 1_000_000, url: 'sqlite::memory:' })
    expect(parseSeedArgs(['--csv', 'users.csv', '--name', 'other'])).toMatchObject({ csv: 'users.csv', name: 'other' })
  })

  it('accepts a leading -- (pnpm 10 passes `seed -- --rows 5` on with it)', () => {
    expect(parseSeedArgs(['--', '--rows', '5'])).toMatchObject({ rows: 5 })
  })

  it.each([['0'], ['-3'], ['1e3'], ['ten']])('rejects --rows %s with a UsageError naming it', (rows) => {
    expect(() => parseSeedArgs([`--rows=${rows}`])).toThrow(new UsageError(`Expected \`--rows\` to be a positive integer, got ${JSON.stringify(rows)}.`))
    expect(() => parseSeedArgs([`--rows=${rows}`])).toThrow(UsageError)
  })

  it('rejects --csv with --rows, and unknown flags', () => {
    expect(() => parseSeedArgs(['--csv', 'a.csv', '--rows', '5'])).toThrow('either `--csv` or `--rows`')
    expect(() => parseSeedArgs(['--table', 'x'])).toThrow(/--table/)
    expect(() => parseSeedArgs(['--', '--table', 'x'])).toThrow(UsageError)
  })

  it('exits 2 with the usage on bad arguments, 0 with it on --help, 1 on a failure', async () => {
    const lines: string[] = []
    const io = { out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l) }
    expect(await runSeedCli(['--rows', 'x'], io)).toBe(2)
    expect(lines).toContain(SEED_USAGE)
    expect(await runSeedCli(['--help'], io)).toBe(0)
    expect(await runSeedCli(['--csv', '/nonexistent/users.csv', '--url', 'sqlite::memory:'], io)).toBe(1)
    expect(lines.at(-1)).toMatch(/^seed: .*ENOENT/)
  })

  it('prints a server that cannot be reached once, in one line that says what to do', async () => {
    const probe = net.createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as net.AddressInfo
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const lines: string[] = []
    const io = { out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l) }
    expect(await runSeedCli(['--', '--url', `mysql://root:pw@127.0.0.1:${port}/x`], io)).toBe(1)
    expect(lines).toEqual([`seed: cannot reach MySQL at 127.0.0.1:${port}: connection refused — is the server running? (url mysql://root:***@127.0.0.1:${port}/)`])
  })

  it('reads a relative --csv from where the command was run (INIT_CWD), and a bad row is one line', async () => {
    const dir = mkdtemp(path.join(os.tmpdir(), 'alx-gen-cli-'))
    const saved = process.env.INIT_CWD
    process.env.INIT_CWD = dir
    try {
      writeFileSync(path.join(dir, 'my.csv'), 'name,email,age\nAda,ada@x.org,36\n')
      writeFileSync(path.join(dir, 'bad.csv'), 'name,email,age\nAda,ada@x.org,12.345\n')
      const lines: string[] = []
      const io = { out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l) }
      expect(await runSeedCli(['--csv', 'my.csv', '--url', 'sqlite:./prodev.sqlite'], io)).toBe(0)
      expect(lines[0]).toMatch(new RegExp(`^Seeded sqlite:\\./prodev\\.sqlite from ${dir}/my\\.csv: 1 rows read, 1 inserted, 0 already present`))
      expect(await runSeedCli(['--csv', 'bad.csv', '--url', 'sqlite:./prodev.sqlite'], io)).toBe(1)
      expect(lines[1]).toBe('seed: bad.csv:2: invalid age "12.345": age has more than 2 decimals, which DECIMAL(6,2) would round; nothing from this file was inserted')
      expect(lines).toHaveLength(2)
    } finally {
      if (saved === undefined) delete process.env.INIT_CWD
      else process.env.INIT_CWD = saved
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('on SQLite the database is the file: createDatabase creates it once, databaseExists sees it', async () => {
    const dir = mkdtemp(path.join(os.tmpdir(), 'alx-gen-file-'))
    const url = `sqlite:${path.join(dir, 'nested', 'prodev.sqlite')}`
    try {
      await using server = await connectDb({ url })
      expect(await databaseExists(server)).toBe(false)
      expect(await createDatabase(server)).toBe(true)
      expect(await databaseExists(server)).toBe(true)
      expect(await createDatabase(server)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('rejects a database name that cannot be an identifier', async () => {
    await using db = await openDatabase('sqlite::memory:')
    await expect(createDatabase(db, { name: 'x; DROP DATABASE y' })).rejects.toThrow(
      new TypeError('Expected `name` to be a database name of 1-64 letters, digits or underscores, got "x; DROP DATABASE y".'),
    )
  })
})
