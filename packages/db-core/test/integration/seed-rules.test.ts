import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CsvFileError, CsvHeaderError, CsvRowError, insertUserRows, seedUserDataFromCsv, createUserDataTable } from '../../src'
import type { AnyDatabase, UserDataRow } from '../../src'
import { createTestDb, testDialects, testDialectsWithPostgres } from '../../src/testing'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'db-core-rules-'))
function csv(name: string, body: string | Buffer): string {
  const file = path.join(tmp, name)
  writeFileSync(file, body)
  return file
}

async function rows(db: AnyDatabase): Promise<Array<Pick<UserDataRow, 'name' | 'email' | 'age'>>> {
  return (await db.knex('user_data').select('name', 'email', 'age').orderBy(['email', 'name', 'age'])) as UserDataRow[]
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err as Error,
  )
}

describe.each(testDialectsWithPostgres())('seeding agrees across engines, on %s', (dialect) => {
  it.each([
    ['a 300-character name', `${'x'.repeat(300)},a@x.org,30`, 'name', "name is 300 characters, more than the column's 255"],
    ['an age of 12.345', 'Ada,ada@x.org,12.345', 'age', 'age has more than 2 decimals, which DECIMAL(6,2) would round'],
    ['an age of 0x10', 'Ada,ada@x.org,0x10', 'age', 'age must be a plain decimal number'],
    ['an age of 1e3', 'Ada,ada@x.org,1e3', 'age', 'age must be a plain decimal number'],
    ['an age of 10000', 'Ada,ada@x.org,10000', 'age', 'age is too large for DECIMAL(6,2)'],
  ])('rejects %s on line 3 and stores nothing of the file', async (_what, bad, field, reason) => {
    await using db = await createTestDb(dialect)
    const file = csv(`bad-${field}-${dialect}.csv`, `name,email,age\nFirst,first@x.org,20\n${bad}\n`)
    const err = await rejection(seedUserDataFromCsv(db, file, { batchSize: 1 }))
    expect(err).toBeInstanceOf(CsvRowError)
    expect(err).toMatchObject({ line: 3, field })
    expect(err.message).toContain(reason)
    expect(await rows(db)).toEqual([])
  })

  it('stores what it accepts verbatim: 255 emoji, 7.5 from "007.50", 9999.99, trimmed fields', async () => {
    await using db = await createTestDb(dialect)
    const emoji = '😀'.repeat(255)
    const file = csv(`good-${dialect}.csv`, `name,email,age\n${emoji},e@x.org,007.50\n Ada ,  ada@x.org , 9999.99 \n`)
    expect(await seedUserDataFromCsv(db, file)).toEqual({ rows: 2, inserted: 2, skipped: 0 })
    expect(await rows(db)).toEqual([
      { name: 'Ada', email: 'ada@x.org', age: 9999.99 },
      { name: emoji, email: 'e@x.org', age: 7.5 },
    ])
  })

  it('rejects bytes that are not UTF-8, a wrong header, a short row and an empty file, naming the line and the header', async () => {
    await using db = await createTestDb(dialect)
    const latin1 = csv('latin1.csv', Buffer.concat([Buffer.from('name,email,age\nAda,ada@x.org,36\n'), Buffer.from('Zo\xeb,z@x.org,3\n', 'latin1')]))
    expect((await rejection(seedUserDataFromCsv(db, latin1))).message).toBe(
      'latin1.csv:3: invalid text: bytes that are not UTF-8 (save the file as UTF-8); nothing from this file was inserted',
    )
    const header = await rejection(seedUserDataFromCsv(db, csv('header.csv', 'name,mail,years\nAda,ada@x.org,36\n')))
    expect(header).toBeInstanceOf(CsvHeaderError)
    expect(header.message).toBe(
      'header.csv:1: expected the header name,email,age (user_id optional, any order), got "name,mail,years": missing email, age; unknown mail, years; nothing from this file was inserted',
    )
    expect((await rejection(seedUserDataFromCsv(db, csv('short.csv', 'name,email,age\nAda,ada@x.org,36\nBob,bob@x.org\n')))).message).toBe(
      'short.csv:3: invalid row "Bob,bob@x.org": expected 3 fields (name,email,age), got 2; nothing from this file was inserted',
    )
    expect((await rejection(seedUserDataFromCsv(db, csv('empty.csv', '')))).message).toBe(
      'empty.csv:1: expected the header name,email,age (user_id optional, any order), got "": the file is empty; nothing from this file was inserted',
    )
    expect(await rows(db)).toEqual([])
  })

  it('skips duplicates by id and counts them, keeping the first: in the file, across runs, with a user_id column', async () => {
    await using db = await createTestDb(dialect)
    const file = csv(`dups-${dialect}.csv`, 'name,email,age\nAda,ada@x.org,36\nAda,ada@x.org,36.0\nAda,ada@x.org,37\n')
    // the same name, email and age is the same row (its id is a UUID v5 of them); another age is another row
    expect(await seedUserDataFromCsv(db, file, { batchSize: 2 })).toEqual({ rows: 3, inserted: 2, skipped: 1 })
    expect(await seedUserDataFromCsv(db, file)).toEqual({ rows: 3, inserted: 0, skipped: 3 })
    const id = '00234e50-34eb-4ce2-94ec-26e3fa749796'
    const ids = csv(`ids-${dialect}.csv`, `user_id,name,email,age\n${id},First,f@x.org,1\n${id.toUpperCase()},Second,s@x.org,2\n`)
    expect(await seedUserDataFromCsv(db, ids)).toEqual({ rows: 2, inserted: 1, skipped: 1 })
    expect(await db.knex('user_data').where({ user_id: id }).select('name')).toEqual([{ name: 'First' }])
    expect(await rows(db)).toEqual([
      { name: 'Ada', email: 'ada@x.org', age: 36 },
      { name: 'Ada', email: 'ada@x.org', age: 37 },
      { name: 'First', email: 'f@x.org', age: 1 },
    ])
  })

  it('reads a relative CSV path from where the command was run (INIT_CWD), and names the path it looked at', async () => {
    await using db = await createTestDb(dialect)
    csv('relative.csv', 'name,email,age\nAda,ada@x.org,36\n')
    const saved = process.env.INIT_CWD
    process.env.INIT_CWD = tmp
    try {
      expect(await seedUserDataFromCsv(db, 'relative.csv')).toMatchObject({ inserted: 1 })
      const missing = await rejection(seedUserDataFromCsv(db, 'nope.csv'))
      expect(missing).toBeInstanceOf(CsvFileError)
      expect(missing.message).toBe(`cannot read the CSV ${tmp}/nope.csv: no such file (ENOENT); a relative path starts where you run the command (${tmp})`)
      expect((await rejection(seedUserDataFromCsv(db, tmp))).message).toBe(`cannot read the CSV ${tmp}: a folder, not a file (EISDIR)`)
    } finally {
      if (saved === undefined) delete process.env.INIT_CWD
      else process.env.INIT_CWD = saved
    }
  })
})

// MariaDB runs whenever MYSQL_URL is set (CI always sets it).
for (const dialect of testDialects().filter((d) => d === 'mysql')) {
  describe(`insertUserRows on ${dialect}`, () => {
    it('fails on a value that does not fit instead of storing it cut (strict mode, no INSERT IGNORE)', async () => {
      await using db = await createTestDb(dialect)
      await createUserDataTable(db)
      const row = { user_id: '00000000-0000-4000-8000-000000000001', name: 'x'.repeat(300), email: 'a@x.org', age: 1 }
      await expect(insertUserRows(db.knex, [row])).rejects.toMatchObject({ code: 'ER_DATA_TOO_LONG' })
      expect(await rows(db)).toEqual([])
    })
  })
}
