import { types as pgTypes } from 'pg'

/** A node-postgres `types` option: the parser of each type's text form, by OID. */
export interface PostgresTypeParsers {
  getTypeParser(oid: number, format?: string): (value: string) => unknown
}

/** PostgreSQL type OIDs whose text form db-core parses itself. */
const NUMERIC_OID = 1700
const INT8_OID = 20

/** NUMERIC as a JavaScript number, as mysql2's `decimalNumbers: true` gives DECIMAL on MySQL. */
function parseNumeric(text: string): number {
  return Number(text)
}

/** BIGINT (and `COUNT(*)`) as a number when it fits exactly, else the string, as mysql2's `supportBigNumbers`. */
function parseInt8(text: string): number | string {
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : text
}

/**
 * The type parsers of every PostgreSQL connection db-core opens (set per connection, never on pg's global
 * `types`): NUMERIC/DECIMAL as numbers and BIGINT as numbers when safe, so `age` and `COUNT(*)` come back as
 * they do from MySQL and SQLite. Every other type keeps node-postgres's parser.
 * @example
 * new Cursor(sql, values, { types: postgresTypes })
 */
export const postgresTypes: PostgresTypeParsers = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (format !== 'binary') {
      if (oid === NUMERIC_OID) return parseNumeric
      if (oid === INT8_OID) return parseInt8
      return pgTypes.getTypeParser(oid, 'text') as (value: string) => unknown
    }
    return pgTypes.getTypeParser(oid, 'binary') as (value: string) => unknown
  },
}

/**
 * `sql` with its `?` placeholders numbered `$1`, `$2`, … for PostgreSQL. A `?` inside a string literal
 * (`'…'`, `E'…'`, `$tag$…$tag$`), a quoted identifier or a comment is left alone; a SQL without `?` is returned
 * as it is, so `$1` placeholders work too. (PostgreSQL's JSON operators `?`, `?|`, `?&` cannot be written
 * here: use `jsonb_exists()`, `jsonb_exists_any()`, `jsonb_exists_all()`.)
 * @example
 * toPositionalPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?'") // "SELECT * FROM t WHERE a = $1 AND b = '?'"
 */
export function toPositionalPlaceholders(sql: string): string {
  if (!sql.includes('?')) return sql
  let out = ''
  let n = 0
  let i = 0
  const len = sql.length
  while (i < len) {
    const ch = sql[i] as string
    const next = sql[i + 1]
    if (ch === '?') {
      out += `$${++n}`
      i++
      continue
    }
    let end = i + 1
    if (ch === "'") {
      // E'…' strings take backslash escapes; '' is a quote in every string
      const escapes = i > 0 && /[eE]/.test(sql[i - 1] as string) && !/[\w$]/.test(sql[i - 2] ?? ' ')
      while (end < len) {
        const c = sql[end]
        if (escapes && c === '\\') end += 2
        else if (c === "'" && sql[end + 1] === "'") end += 2
        else if (c === "'") {
          end++
          break
        } else end++
      }
    } else if (ch === '"') {
      while (end < len) {
        if (sql[end] === '"' && sql[end + 1] === '"') end += 2
        else if (sql[end] === '"') {
          end++
          break
        } else end++
      }
    } else if (ch === '-' && next === '-') {
      const newline = sql.indexOf('\n', i)
      end = newline === -1 ? len : newline
    } else if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2)
      end = close === -1 ? len : close + 2
    } else if (ch === '$' && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0]
      if (tag !== undefined) {
        const close = sql.indexOf(tag, i + tag.length)
        end = close === -1 ? len : close + tag.length
      }
    }
    out += sql.slice(i, end)
    i = end
  }
  return out
}
