import type { UsersRow } from '@alx/db-core'

/** One row the way Python's sqlite3 prints it: a tuple. */
export function tuple(row: UsersRow): string {
  return `(${[row.id, row.name, row.email, row.age].map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')})`
}
