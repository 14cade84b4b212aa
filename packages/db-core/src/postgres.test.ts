import { postgresTypes, toPositionalPlaceholders } from './postgres'

describe('toPositionalPlaceholders', () => {
  it.each([
    ['SELECT * FROM t WHERE a = ? AND b > ?', 'SELECT * FROM t WHERE a = $1 AND b > $2'],
    ["SELECT '?' AS q, ? AS v", "SELECT '?' AS q, $1 AS v"],
    ["SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1"],
    ["SELECT E'a\\' ?', ?", "SELECT E'a\\' ?', $1"],
    ['SELECT "we?ird" FROM t WHERE x = ?', 'SELECT "we?ird" FROM t WHERE x = $1'],
    ['SELECT ? -- what?\n, ?', 'SELECT $1 -- what?\n, $2'],
    ['SELECT /* ? */ ?', 'SELECT /* ? */ $1'],
    ['SELECT $$ ? $$, $tag$ ? $tag$, ?', 'SELECT $$ ? $$, $tag$ ? $tag$, $1'],
    ['SELECT $1, $2', 'SELECT $1, $2'],
    ['SELECT ?::int', 'SELECT $1::int'],
  ])('%j → %j', (sql, expected) => {
    expect(toPositionalPlaceholders(sql)).toBe(expected)
  })
})

describe('postgresTypes', () => {
  it('parses NUMERIC and BIGINT as numbers (BIGINT beyond 2^53 stays a string), other types as pg does', () => {
    expect(postgresTypes.getTypeParser(1700, 'text')('36.50')).toBe(36.5)
    expect(postgresTypes.getTypeParser(20, 'text')('5000')).toBe(5000)
    expect(postgresTypes.getTypeParser(20, 'text')('9007199254740993')).toBe('9007199254740993')
    expect(postgresTypes.getTypeParser(23, 'text')('7')).toBe(7)
    expect(postgresTypes.getTypeParser(16)('t')).toBe(true)
    expect(postgresTypes.getTypeParser(25, 'text')('x')).toBe('x')
  })
})
