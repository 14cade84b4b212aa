import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase } from '@alx/db-core'
import { parseSeedArgs, runSeedCli, SEED_USAGE } from './cli-seed'
import { connectDb, createDatabase, databaseExists } from './seed'

describe('Task 0: the seed CLI and seed functions (unit, SQLite)', () => {
  it('parses --csv, --rows, --url and --name', () => {
    expect(parseSeedArgs([])).toEqual({ csv: undefined, rows: undefined, url: undefined, name: 'ALX_prodev' })
    expect(parseSeedArgs(['--rows', '1000000', '--url', 'sqlite::memory:'])).toMatchObject({ rows: 1_000_000, url: 'sqlite::memory:' })
    expect(parseSeedArgs(['--csv', 'users.csv', '--name', 'other'])).toMatchObject({ csv: 'users.csv', name: 'other' })
  })

  it.each([['0'], ['-3'], ['1e3'], ['ten']])('rejects --rows %s with a TypeError naming it', (rows) => {
    expect(() => parseSeedArgs([`--rows=${rows}`])).toThrow(new TypeError(`Expected \`--rows\` to be a positive integer, got ${JSON.stringify(rows)}.`))
  })

  it('rejects --csv with --rows, and unknown flags', () => {
    expect(() => parseSeedArgs(['--csv', 'a.csv', '--rows', '5'])).toThrow('either `--csv` or `--rows`')
    expect(() => parseSeedArgs(['--table', 'x'])).toThrow(/--table/)
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

  it('on SQLite the database is the file: createDatabase creates it once, databaseExists sees it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-gen-file-'))
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
