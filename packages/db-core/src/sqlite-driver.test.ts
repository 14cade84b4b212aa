import { openConnection, openDatabase } from './index'
import { sqliteDriver, sqliteDriverPackage, sqliteDriverPath } from './sqlite-driver'

describe('the SQLite driver for this Node.js', () => {
  it.each([
    ['20.19.0', 'better-sqlite3'],
    ['21.7.3', 'better-sqlite3'],
    ['22.0.0', 'better-sqlite3-napi'],
    ['24.21.0', 'better-sqlite3-napi'],
  ])('on Node %s is %s', (version, expected) => {
    expect(sqliteDriverPackage(version)).toBe(expected)
  })

  it('is the one openDatabase connects with, and the one a worker thread loads by path', async () => {
    await using db = await openDatabase('sqlite::memory:')
    await using conn = await openConnection(db)
    expect(conn.raw).toBeInstanceOf(sqliteDriver())
    expect(sqliteDriverPath()).toBe(require.resolve(sqliteDriverPackage()))
    expect(await conn.query('SELECT sqlite_version() AS v')).toEqual([{ v: expect.stringMatching(/^3\.\d+\.\d+$/) as unknown }])
  })
})
