import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Writable } from 'node:stream'
import { CsvHeaderError, CsvRowError } from './errors'
import { checkCsvHeader, csvRecordToRow, Utf8Check } from './csv-rows'

const header = checkCsvHeader('u.csv', ['name', 'email', 'age'])

function reason(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof CsvRowError) return err.message
    throw err
  }
  throw new Error('expected a CsvRowError')
}

describe('checkCsvHeader', () => {
  it('takes name,email,age in any order and case, with an optional user_id', () => {
    expect(header.index).toEqual({ name: 0, email: 1, age: 2, user_id: undefined })
    expect(checkCsvHeader('u.csv', [' AGE', 'user_id', 'Name ', 'email']).index).toEqual({ name: 2, email: 3, age: 0, user_id: 1 })
  })

  it('names the expected header, the one found, what is missing and what is unknown', () => {
    expect(() => checkCsvHeader('u.csv', ['name', 'mail', 'years'])).toThrow(
      new CsvHeaderError('u.csv', ['name', 'email', 'age'], ['name', 'mail', 'years'], 'missing email, age; unknown mail, years'),
    )
    expect(() => checkCsvHeader('u.csv', ['name', 'mail', 'years'])).toThrow(
      'u.csv:1: expected the header name,email,age (user_id optional, any order), got "name,mail,years": missing email, age; unknown mail, years; nothing from this file was inserted',
    )
    expect(() => checkCsvHeader('u.csv', ['name', 'email', 'age', 'age'])).toThrow(/repeated age/)
    // a first data row where the header should be
    expect(() => checkCsvHeader('u.csv', ['Ada', 'ada@x.org', '36'])).toThrow(/missing name, email, age; unknown ada, ada@x.org, 36/)
  })
})

describe('csvRecordToRow', () => {
  it('trims surrounding spaces and derives a stable id', () => {
    const row = csvRecordToRow('u.csv', 2, header, [' Ada ', ' ada@x.org', '36 '])
    expect(row).toMatchObject({ name: 'Ada', email: 'ada@x.org', age: 36 })
    expect(row.user_id).toBe(csvRecordToRow('u.csv', 9, header, ['Ada', 'ada@x.org', '36.00']).user_id)
  })

  it.each([
    ['36', 36],
    ['36.5', 36.5],
    ['007.50', 7.5],
    ['9999.99', 9999.99],
    ['12.340', 12.34],
    ['0', 0],
  ])('accepts the age %j as %d', (age, value) => {
    expect(csvRecordToRow('u.csv', 2, header, ['Ada', 'a@x.org', age]).age).toBe(value)
  })

  it.each([['0x10'], ['1e3'], ['-1'], ['+5'], ['.5'], ['5.'], ['1 000'], ['Infinity'], ['']])('rejects the age %j as not a plain decimal', (age) => {
    expect(reason(() => csvRecordToRow('u.csv', 4, header, ['Ada', 'a@x.org', age]))).toBe(
      `u.csv:4: invalid age ${JSON.stringify(age)}: age must be a plain decimal number such as 36 or 36.5 (digits and an optional ".", no sign, exponent or hex); nothing from this file was inserted`,
    )
  })

  it('rejects ages DECIMAL(6,2) would round or cannot hold', () => {
    expect(reason(() => csvRecordToRow('u.csv', 2, header, ['Ada', 'a@x.org', '12.345']))).toContain('age has more than 2 decimals, which DECIMAL(6,2) would round')
    expect(reason(() => csvRecordToRow('u.csv', 2, header, ['Ada', 'a@x.org', '10000']))).toContain('age is too large for DECIMAL(6,2) (at most 9999.99)')
  })

  it('counts name and email length in characters, as VARCHAR(255) does', () => {
    expect(csvRecordToRow('u.csv', 2, header, ['😀'.repeat(255), 'a@x.org', '1']).name).toHaveLength(510)
    expect(reason(() => csvRecordToRow('u.csv', 2, header, ['n'.repeat(256), 'a@x.org', '1']))).toBe(
      `u.csv:2: invalid name "${'n'.repeat(20)}…": name is 256 characters, more than the column's 255; nothing from this file was inserted`,
    )
    expect(reason(() => csvRecordToRow('u.csv', 2, header, ['Ada', `${'e'.repeat(250)}@x.org`, '1']))).toContain("email is 256 characters, more than the column's 255")
  })

  it('rejects an empty name, a bad email, a bad user_id and a short row, naming the line and the header', () => {
    expect(reason(() => csvRecordToRow('u.csv', 3, header, [' ', 'a@x.org', '1']))).toContain('u.csv:3: invalid name " ": name must not be empty')
    expect(reason(() => csvRecordToRow('u.csv', 3, header, ['Ada', 'ada.x.org', '1']))).toContain('invalid email "ada.x.org": not an email address')
    const withId = checkCsvHeader('u.csv', ['user_id', 'name', 'email', 'age'])
    expect(reason(() => csvRecordToRow('u.csv', 3, withId, ['42', 'Ada', 'a@x.org', '1']))).toContain('invalid user_id "42": not a UUID')
    expect(reason(() => csvRecordToRow('u.csv', 3, header, ['Bob', 'bob@x.org']))).toBe(
      'u.csv:3: invalid row "Bob,bob@x.org": expected 3 fields (name,email,age), got 2; nothing from this file was inserted',
    )
  })
})

describe('Utf8Check', () => {
  async function run(chunks: Buffer[]): Promise<unknown> {
    const sink = new Writable({ write: (_c, _e, done) => done() })
    return pipeline(Readable.from(chunks), new Utf8Check('u.csv'), sink).then(
      () => 'ok',
      (err: unknown) => err,
    )
  }

  it('passes UTF-8 through, even a character split across chunks', async () => {
    const bytes = Buffer.from('name,email,age\nZoë,z@x.org,3\n')
    const cut = bytes.indexOf(0xc3) + 1
    expect(await run([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe('ok')
  })

  it('fails on bytes that are not UTF-8, naming their line', async () => {
    const err = await run([Buffer.from('name,email,age\nAda,a@x.org,1\n'), Buffer.from('B\xe9b,b@x.org,2\n', 'latin1')])
    expect(err).toBeInstanceOf(CsvRowError)
    expect((err as Error).message).toBe('u.csv:3: invalid text: bytes that are not UTF-8 (save the file as UTF-8); nothing from this file was inserted')
    expect(await run([Buffer.from('name,email,age\nAda,a@x.org,1\nZo'), Buffer.from([0xc3])])).toMatchObject({ line: 3 })
  })
})
