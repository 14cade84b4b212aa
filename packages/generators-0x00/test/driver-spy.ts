// Watches what better-sqlite3 does under our generators: the SQL prepared and how many rows are read (returned by
// all() or pulled from iterate()), so tests can prove how far ahead of the consumer we read.
import { sqliteDriver } from '@alx/db-core'
import type BetterSqlite3Types from 'better-sqlite3'

// the driver db-core runs SQLite with on this Node.js (better-sqlite3 12 or 13)
const BetterSqlite3 = sqliteDriver()

export interface DriverSpy {
  /** Every SQL text prepared while the spy was on. */
  readonly sql: string[]
  /** Rows read so far: returned by all(), or pulled from iterate() (the final `done` step not counted). */
  readonly pulled: number
  restore(): void
}

export function spyOnSqliteDriver(): DriverSpy {
  const sql: string[] = []
  let pulled = 0
  const original = BetterSqlite3.prototype.prepare
  const spy = jest.spyOn(BetterSqlite3.prototype, 'prepare').mockImplementation(function (this: BetterSqlite3Types.Database, source: string) {
    sql.push(source)
    const stmt = original.call(this, source)
    // Bookkeeping reads (the rowid bounds and gap seeks of a storage-order scan) are not user rows.
    const bookkeeping = /min\(rowid\)|^SELECT rowid FROM/.test(source)
    const all = stmt.all.bind(stmt) as (...params: unknown[]) => unknown[]
    Object.defineProperty(stmt, 'all', {
      value: (...params: unknown[]) => {
        const rows = all(...params)
        if (!bookkeeping) pulled += rows.length
        return rows
      },
    })
    const iterate = stmt.iterate.bind(stmt) as (...params: unknown[]) => IterableIterator<unknown>
    Object.defineProperty(stmt, 'iterate', {
      value: (...params: unknown[]) => {
        const rows = iterate(...params)
        return {
          next: () => {
            const step = rows.next()
            if (step.done !== true) pulled++
            return step
          },
          return: () => rows.return?.() ?? { done: true, value: undefined },
          [Symbol.iterator]() {
            return this
          },
        }
      },
    })
    return stmt
  })
  return {
    sql,
    get pulled() {
      return pulled
    },
    restore: () => spy.mockRestore(),
  }
}
