import { PyTuple, pyRepr } from '@alx/db-core'
import type { UsersRow } from '@alx/db-core'

/** One row the way Python's sqlite3 prints it: a tuple, strings in Python's repr. */
export function tuple(row: UsersRow): string {
  return pyRepr(new PyTuple([row.id, row.name, row.email, row.age]))
}

/** Rows as Python prints `cursor.fetchall()`: a list of tuples. */
export function tupleList(rows: readonly UsersRow[]): string {
  return pyRepr(rows.map((row) => new PyTuple([row.id, row.name, row.email, row.age])))
}

/** Prints one line. */
export type Print = (line: string) => void
