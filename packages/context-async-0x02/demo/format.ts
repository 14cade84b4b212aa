import type { UsersRow } from '@alx/db-core'

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0
    if (ch === quote || ch === '\\') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return out + quote
}

/** One row the way Python's sqlite3 prints it: a tuple, strings in Python's repr. */
export function tuple(row: UsersRow): string {
  return `(${[row.id, row.name, row.email, row.age].map((v) => (typeof v === 'string' ? reprString(v) : v === null ? 'None' : String(v))).join(', ')})`
}

/** Rows as Python prints `cursor.fetchall()`: a list of tuples. */
export function tupleList(rows: readonly UsersRow[]): string {
  return `[${rows.map(tuple).join(', ')}]`
}

/** Prints one line. */
export type Print = (line: string) => void
