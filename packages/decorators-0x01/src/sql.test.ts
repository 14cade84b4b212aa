import { analyzeSql, findSql, redactLiterals, stableKey } from './sql'

describe('Task 0: logQueries — what reaches the log', () => {
  it('replaces quoted literals with ? and keeps placeholders', () => {
    expect(analyzeSql("UPDATE users SET email = 'ada@example.com' WHERE id = ?").redacted).toBe('UPDATE users SET email = ? WHERE id = ?')
    expect(analyzeSql("SELECT 'it''s', 'a\\'b' FROM t").redacted).toBe('SELECT ?, ? FROM t')
  })

  it('redacts quoted values in driver error messages', () => {
    expect(redactLiterals("Duplicate entry 'ada@example.com' for key 'email'")).toBe('Duplicate entry ? for key ?')
  })

  it('finds the SQL in a { query } argument or the first string argument', () => {
    expect(findSql([{ query: 'SELECT 1' }])).toEqual({ sql: 'SELECT 1', index: 0, named: true })
    expect(findSql([42, 'SELECT 2', 'x'])).toEqual({ sql: 'SELECT 2', index: 1, named: false })
    expect(findSql(['skipped', 'SELECT 3'], 1)).toEqual({ sql: 'SELECT 3', index: 1, named: false })
    expect(findSql([1, [2], { other: 'x' }])).toBeUndefined()
  })
})

describe('Task 4: cacheQuery — keys and the tables a statement touches', () => {
  it('normalizes whitespace and comments outside literals, and drops a trailing semicolon', () => {
    const a = analyzeSql('SELECT *\n  FROM   users -- all of them\n WHERE name = \'a  b\';')
    expect(a.normalized).toBe("SELECT * FROM users WHERE name = 'a  b'")
    expect(analyzeSql('/* x */ SELECT * FROM users WHERE name = \'a  b\'').normalized).toBe(a.normalized)
  })

  it.each([
    ['SELECT * FROM users', 'read', ['users']],
    ['select u.id from users u join posts as p on p.uid = u.id', 'read', ['users', 'posts']],
    ['SELECT * FROM a, b AS bb, `C`', 'read', ['a', 'b', 'c']],
    ['SELECT * FROM (SELECT id FROM users) AS s', 'read', ['users']],
    ['WITH x AS (SELECT * FROM a) SELECT * FROM x', 'read', ['a', 'x']],
    ['SELECT 1', 'read', []],
    ['SHOW TABLES', 'read', undefined],
    ['INSERT INTO users (name) VALUES (?)', 'write', ['users']],
    ['INSERT OR REPLACE INTO "Users" VALUES (1)', 'write', ['users']],
    ['UPDATE users SET email = ? WHERE id = ?', 'write', ['users']],
    ['UPDATE OR IGNORE t SET a = 1', 'write', ['t']],
    ['DELETE FROM main.users WHERE id = ?', 'write', ['users']],
    ['TRUNCATE TABLE logs', 'write', ['logs']],
    ['DROP TABLE IF EXISTS a, b', 'write', ['a', 'b']],
    ['WITH d AS (DELETE FROM a RETURNING *) SELECT * FROM d', 'write', ['a', 'd']],
    ['CALL do_things()', 'write', undefined],
    ['BEGIN IMMEDIATE', 'control', []],
    ['SAVEPOINT s1', 'control', []],
  ])('%s → %s %j', (sql, kind, tables) => {
    const info = analyzeSql(sql)
    expect(info.kind).toBe(kind)
    expect(info.tables).toEqual(tables)
  })

  it('makes the same key for equal plain data whatever the key order, and different keys for 1 and "1"', () => {
    expect(stableKey({ b: 1, a: [2n, 'x', null, undefined] })).toBe(stableKey({ a: [2n, 'x', null, undefined], b: 1 }))
    expect(stableKey(1)).not.toBe(stableKey('1'))
    expect(stableKey(new Date(0))).toBe(stableKey(new Date(0)))
    expect(stableKey(Buffer.from('ab'))).not.toBe(stableKey(Buffer.from('ac')))
    expect(stableKey(Number.NaN)).toBe('#NaN')
  })

  it('refuses values whose identity cannot make a stable key, naming them', () => {
    expect(() => stableKey(new Map())).toThrow(new TypeError('Expected cache key arguments to be plain data (strings, numbers, arrays, plain objects, Dates, Buffers), got a Map. Pass a `key` option to cacheQuery.'))
    expect(() => stableKey(() => 1)).toThrow(TypeError)
  })

  it('remembers analyses by text, at most 1,024 of them', () => {
    const first = analyzeSql('SELECT 0 FROM t')
    expect(analyzeSql('SELECT 0 FROM t')).toBe(first)
    for (let i = 1; i <= 3000; i += 1) analyzeSql(`SELECT ${i} FROM t`)
    // forgotten: analysing it again gives an equal but new object
    const again = analyzeSql('SELECT 0 FROM t')
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
  })
})
