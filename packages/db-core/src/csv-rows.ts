import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import { CsvHeaderError, CsvRowError } from './errors'
import { USER_DATA_COLUMNS } from './schema'
import type { UserDataRow } from './schema'
import { userIdFor } from './synthetic'

/**
 * The columns a course CSV must have, in the order messages name them; `user_id` may be added.
 * @example
 * CSV_COLUMNS.join(',') // 'name,email,age'
 */
export const CSV_COLUMNS = ['name', 'email', 'age'] as const
const OPTIONAL = 'user_id'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const EMAIL = /^[^\s@]+@[^\s@]+$/
// digits, an optional fraction: no sign, exponent, hex, `.5` or `5.`
const DECIMAL = /^(\d+)(?:\.(\d+))?$/

/** Where each column of a checked header is: an index per field name. */
export interface CsvHeader {
  readonly columns: readonly string[]
  readonly index: { readonly name: number; readonly email: number; readonly age: number; readonly user_id: number | undefined }
}

/**
 * Checks a CSV header (trimmed, case-insensitive): exactly `name`, `email`, `age` in any order, plus an optional
 * `user_id`.
 * @throws {CsvHeaderError} naming the expected header, the one found, what is missing and what is unknown.
 * @example
 * checkCsvHeader('users.csv', ['name', 'email', 'age']).index.age // 2
 */
export function checkCsvHeader(file: string, raw: readonly string[]): CsvHeader {
  const columns = raw.map((h) => h.trim().toLowerCase())
  const missing = CSV_COLUMNS.filter((c) => !columns.includes(c))
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c) && c !== OPTIONAL)
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i)
  const problems = [
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
    unknown.length > 0 ? `unknown ${unknown.map((c) => (c === '' ? '(empty)' : c)).join(', ')}` : '',
    repeated.length > 0 ? `repeated ${[...new Set(repeated)].join(', ')}` : '',
  ].filter((p) => p !== '')
  if (problems.length > 0) throw new CsvHeaderError(file, CSV_COLUMNS, raw, problems.join('; '))
  const at = (c: string): number => columns.indexOf(c)
  return { columns, index: { name: at('name'), email: at('email'), age: at('age'), user_id: columns.includes(OPTIONAL) ? at(OPTIONAL) : undefined } }
}

function characters(text: string): number {
  let n = 0
  // code points, as VARCHAR(n) counts them in utf8mb4 (an emoji is 2 UTF-16 units, 1 character)
  for (const _ of text) n++
  return n
}

/**
 * Parses an age against `age DECIMAL(6,2)`: a plain decimal (`36`, `36.5`, `007.50`), at most 4 integer and 2
 * fraction digits (leading and trailing zeros do not count). Anything MariaDB would round, truncate or read
 * differently from SQLite (`12.345`, `1e3`, `0x10`, `-1`, `+5`, `.5`) is refused.
 * @returns the reason it is refused, or the number.
 */
function parseAge(raw: string): number | string {
  const { precision, scale } = USER_DATA_COLUMNS.age
  const match = DECIMAL.exec(raw)
  if (match === null) return `age must be a plain decimal number such as 36 or 36.5 (digits and an optional ".", no sign, exponent or hex)`
  const whole = (match[1] ?? '').replace(/^0+(?=\d)/, '')
  const fraction = (match[2] ?? '').replace(/0+$/, '')
  if (fraction.length > scale) return `age has more than ${scale} decimals, which DECIMAL(${precision},${scale}) would round`
  if (whole.length > precision - scale) return `age is too large for DECIMAL(${precision},${scale}) (at most ${'9'.repeat(precision - scale)}.${'9'.repeat(scale)})`
  return Number(raw)
}

/**
 * Turns one CSV record (its fields, after the header) into a `user_data` row, checked against the column
 * types. Fields are trimmed of surrounding spaces; everything else is strict.
 * @throws {CsvRowError} naming the file, line, field, value and rule broken.
 * @example
 * csvRecordToRow('users.csv', 2, header, ['Ada', 'ada@example.org', '36'])
 */
export function csvRecordToRow(file: string, line: number, header: CsvHeader, fields: readonly string[]): UserDataRow {
  if (fields.length !== header.columns.length) {
    throw new CsvRowError(file, line, 'row', fields.join(','), `expected ${header.columns.length} fields (${header.columns.join(',')}), got ${fields.length}`)
  }
  const { index } = header
  const rawName = fields[index.name] ?? ''
  const rawEmail = fields[index.email] ?? ''
  const rawAge = fields[index.age] ?? ''
  const name = rawName.trim()
  const email = rawEmail.trim()
  if (name === '') throw new CsvRowError(file, line, 'name', rawName, 'name must not be empty')
  const nameMax = USER_DATA_COLUMNS.name.maxLength
  if (characters(name) > nameMax) throw new CsvRowError(file, line, 'name', `${name.slice(0, 20)}…`, `name is ${characters(name)} characters, more than the column's ${nameMax}`)
  if (!EMAIL.test(email)) throw new CsvRowError(file, line, 'email', rawEmail, 'not an email address')
  const emailMax = USER_DATA_COLUMNS.email.maxLength
  if (characters(email) > emailMax) throw new CsvRowError(file, line, 'email', `${email.slice(0, 20)}…`, `email is ${characters(email)} characters, more than the column's ${emailMax}`)
  const age = parseAge(rawAge.trim())
  if (typeof age === 'string') throw new CsvRowError(file, line, 'age', rawAge, age)
  if (index.user_id === undefined) return { user_id: userIdFor(name, email, age), name, email, age }
  const rawId = fields[index.user_id] ?? ''
  const id = rawId.trim()
  if (!UUID.test(id)) throw new CsvRowError(file, line, 'user_id', rawId, 'not a UUID')
  return { user_id: id.toLowerCase(), name, email, age }
}

function newlines(chunk: Buffer, end = chunk.length): number {
  let n = 0
  for (let i = chunk.indexOf(10); i !== -1 && i < end; i = chunk.indexOf(10, i + 1)) n++
  return n
}

/**
 * A pass-through stream that fails on the first byte sequence that is not UTF-8 (instead of letting it become
 * U+FFFD), naming its line; it also counts the bytes through it, for a progress bar. Constant memory.
 * @example
 * pipeline(createReadStream(file), new Utf8Check('users.csv'), parse(), done)
 */
export class Utf8Check extends Transform {
  bytes = 0
  readonly #file: string
  readonly #decoder = new TextDecoder('utf-8', { fatal: true })
  #line = 1

  constructor(file: string) {
    super()
    this.#file = file
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.#decoder.decode(chunk, { stream: true })
    } catch {
      done(this.#fail(chunk))
      return
    }
    this.bytes += chunk.length
    this.#line += newlines(chunk)
    done(null, chunk)
  }

  override _flush(done: TransformCallback): void {
    try {
      this.#decoder.decode()
    } catch {
      done(this.#fail(Buffer.alloc(0)))
      return
    }
    done()
  }

  #fail(chunk: Buffer): CsvRowError {
    // Where in the chunk: the first U+FFFD of a lenient decode, skipping the continuation bytes of a character
    // begun in the previous chunk.
    let start = 0
    while (start < 3 && start < chunk.length && ((chunk[start] ?? 0) & 0xc0) === 0x80) start++
    const text = new TextDecoder().decode(chunk.subarray(start))
    const at = text.indexOf('\uFFFD')
    const before = at === -1 ? chunk.length : start + Buffer.byteLength(text.slice(0, at))
    return new CsvRowError(this.#file, this.#line + newlines(chunk, before), 'text', undefined, 'bytes that are not UTF-8 (save the file as UTF-8)')
  }
}
