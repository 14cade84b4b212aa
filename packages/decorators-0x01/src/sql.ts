/** What a statement does, as far as caching and invalidation need to know. */
export type SqlKind = 'read' | 'write' | 'control'

/** One statement, analysed once and remembered by its text. */
export interface SqlInfo {
  /** Whitespace collapsed outside literals, comments dropped, trailing `;` removed: the cache key's SQL. */
  readonly normalized: string
  /** `normalized` with every single-quoted literal replaced by `?`: the only form that is ever logged. */
  readonly redacted: string
  readonly kind: SqlKind
  /**
   * Lower-cased tables the statement reads (a read) or may change (a write), a superset when unsure;
   * `undefined` when they cannot be told, which callers treat as "every table".
   */
  readonly tables: readonly string[] | undefined
}

interface Token {
  /** `word` = bare word, `ident` = quoted identifier, `string` = '…' literal, `punct` = anything else. */
  readonly type: 'word' | 'ident' | 'string' | 'punct'
  readonly text: string
  /** Whitespace or a comment came before it (rendered as one space). */
  readonly spaced: boolean
}

const CONTROL = new Set(['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'SET', 'PRAGMA', 'USE', 'LOCK', 'UNLOCK', 'ANALYZE', 'VACUUM', 'REINDEX', 'CHECKPOINT'])
const READ = new Set(['SELECT', 'VALUES', 'TABLE', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'DESC'])
const DATA_WRITE = new Set(['INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT'])
/** Words after which a table list follows. */
const TABLE_LIST_START = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'TRUNCATE'])
/** Words that may sit between a table-list keyword and the first table. */
const TABLE_PREFIX = new Set(['IF', 'NOT', 'EXISTS', 'ONLY', 'LATERAL', 'LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE', 'QUICK', 'TEMPORARY', 'TABLE'])
/** Words that end a table reference (so they are never taken for an alias). */
const NOT_ALIAS = new Set([
  'WHERE', 'JOIN', 'ON', 'SET', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'CROSS', 'NATURAL', 'FULL', 'STRAIGHT_JOIN', 'GROUP',
  'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'VALUES', 'VALUE', 'SELECT', 'USING', 'HAVING', 'WINDOW', 'FOR', 'LOCK',
  'OFFSET', 'RETURNING', 'DEFAULT', 'PARTITION', 'USE', 'FORCE', 'INDEXED', 'NOT', 'WITH', 'AS', 'ADD', 'DROP', 'RENAME',
  'MODIFY', 'CHANGE', 'ALTER', 'FETCH',
])

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128
}
function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57)
}

/** Scans quoted text starting at `i` (the opening quote); returns the index after the closing quote. */
function scanQuoted(sql: string, i: number, close: string, backslash: boolean): number {
  let j = i + 1
  while (j < sql.length) {
    const ch = sql[j]
    if (backslash && ch === '\\') j += 2
    else if (ch === close) {
      if (sql[j + 1] === close && close !== ']') j += 2
      else return j + 1
    } else j += 1
  }
  return sql.length
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = []
  let spaced = false
  const push = (type: Token['type'], text: string): void => {
    tokens.push({ type, text, spaced })
    spaced = false
  }
  let i = 0
  while (i < sql.length) {
    const c = sql.charCodeAt(i)
    const ch = sql[i] as string
    if (c <= 32) {
      spaced = true
      i += 1
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      spaced = true
      i = end === -1 ? sql.length : end + 1
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      spaced = true
      i = end === -1 ? sql.length : end + 2
    } else if (ch === "'") {
      const end = scanQuoted(sql, i, "'", true)
      push('string', sql.slice(i, end))
      i = end
    } else if (ch === '"' || ch === '`' || ch === '[') {
      const end = scanQuoted(sql, i, ch === '[' ? ']' : ch, false)
      push('ident', sql.slice(i, end))
      i = end
    } else if (isWordStart(c)) {
      let j = i + 1
      while (j < sql.length && isWordPart(sql.charCodeAt(j))) j += 1
      push('word', sql.slice(i, j))
      i = j
    } else if (c >= 48 && c <= 57) {
      let j = i + 1
      while (j < sql.length && (isWordPart(sql.charCodeAt(j)) || sql[j] === '.')) j += 1
      push('punct', sql.slice(i, j))
      i = j
    } else {
      push('punct', ch)
      i += 1
    }
  }
  while (tokens.length > 0 && tokens[tokens.length - 1]?.text === ';') tokens.pop()
  return tokens
}

/** Joins tokens back as written, with every run of whitespace or comments as one space. */
function render(tokens: readonly Token[], redact: boolean): string {
  let out = ''
  for (const token of tokens) {
    if (token.spaced && out !== '') out += ' '
    out += redact && token.type === 'string' ? '?' : token.text
  }
  return out
}

function identName(token: Token): string {
  if (token.type === 'ident') return token.text.slice(1, -1).toLowerCase()
  return token.text.toLowerCase()
}

function isName(token: Token | undefined): token is Token {
  return token !== undefined && (token.type === 'ident' || token.type === 'word')
}

/** Collects every table named after FROM / JOIN / INTO / UPDATE / TABLE / TRUNCATE (comma lists included). */
function collectTables(tokens: readonly Token[]): string[] {
  const tables = new Set<string>()
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as Token
    if (token.type !== 'word' || !TABLE_LIST_START.has(token.text.toUpperCase())) continue
    let j = i + 1
    for (;;) {
      while (tokens[j]?.type === 'word' && TABLE_PREFIX.has((tokens[j] as Token).text.toUpperCase())) j += 1
      // `UPDATE OR IGNORE t`, `INSERT OR REPLACE INTO t`
      if (tokens[j]?.type === 'word' && (tokens[j] as Token).text.toUpperCase() === 'OR') j += 2
      let name = tokens[j]
      if (!isName(name) || (name.type === 'word' && NOT_ALIAS.has(name.text.toUpperCase()))) break
      j += 1
      for (let next = tokens[j + 1]; tokens[j]?.text === '.' && isName(next); next = tokens[j + 1]) {
        name = next
        j += 2
      }
      tables.add(identName(name))
      if (tokens[j]?.type === 'word' && (tokens[j] as Token).text.toUpperCase() === 'AS') j += 1
      const alias = tokens[j]
      if (isName(alias) && !(alias.type === 'word' && NOT_ALIAS.has(alias.text.toUpperCase()))) j += 1
      if (tokens[j]?.text !== ',') break
      j += 1
    }
  }
  return [...tables]
}

function classify(tokens: readonly Token[]): Pick<SqlInfo, 'kind' | 'tables'> {
  const first = tokens[0]?.type === 'word' ? tokens[0].text.toUpperCase() : ''
  if (CONTROL.has(first)) return { kind: 'control', tables: [] }
  if (first === 'WITH') {
    const writes = tokens.some((t) => t.type === 'word' && DATA_WRITE.has(t.text.toUpperCase()))
    return { kind: writes ? 'write' : 'read', tables: collectTables(tokens) }
  }
  if (READ.has(first)) {
    const describes = first === 'SHOW' || first === 'EXPLAIN' || first === 'DESCRIBE' || first === 'DESC'
    return { kind: 'read', tables: describes ? undefined : collectTables(tokens) }
  }
  if (DATA_WRITE.has(first) || first === 'TRUNCATE' || first === 'CREATE' || first === 'ALTER' || first === 'DROP') {
    const tables = collectTables(tokens)
    return { kind: 'write', tables: tables.length > 0 ? tables : undefined }
  }
  // CALL, DO, LOAD, RENAME, GRANT, …: may change anything
  return { kind: 'write', tables: undefined }
}

const MAX_REMEMBERED = 1024
const remembered = new Map<string, SqlInfo>()

/**
 * Analyses a statement once (remembered by its text, at most 1,024 texts): normalized and redacted forms,
 * read/write/control, and the tables it touches.
 * @example
 * analyzeSql("UPDATE users SET email = 'a@b' WHERE id = ?") // { kind: 'write', tables: ['users'], redacted: 'UPDATE users SET email = ? WHERE id = ?', … }
 */
export function analyzeSql(sql: string): SqlInfo {
  const known = remembered.get(sql)
  if (known !== undefined) return known
  const tokens = tokenize(sql)
  const info: SqlInfo = { normalized: render(tokens, false), redacted: render(tokens, true), ...classify(tokens) }
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string)
  remembered.set(sql, info)
  return info
}

/**
 * Replaces every single-quoted literal in a message or statement with `?` (values never reach a log).
 * @example
 * redactLiterals("Duplicate entry 'ada@example.com' for key 'email'") // 'Duplicate entry ? for key ?'
 */
export function redactLiterals(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.|'')*'/g, '?')
}

/** Where the SQL of a call sits: the first string argument, or the `query` of the first `{ query }` object. */
export interface SqlArgument {
  readonly sql: string
  readonly index: number
  /** True when it came from an object's `query` property (the Python `query=` keyword argument). */
  readonly named: boolean
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/**
 * Finds the SQL of a call the way the course's decorators do (`kwargs.get('query')` or a positional argument).
 * @example
 * findSql([conn, 'SELECT 1']) // { sql: 'SELECT 1', index: 1, named: false }
 */
export function findSql(args: readonly unknown[], from = 0): SqlArgument | undefined {
  for (let i = from; i < args.length; i += 1) {
    const arg = args[i]
    if (typeof arg === 'string') return { sql: arg, index: i, named: false }
    if (isPlainObject(arg) && typeof arg.query === 'string') return { sql: arg.query, index: i, named: true }
  }
  return undefined
}

/**
 * The SQL text of a call (see `findSql`), without saying where it was: for the hot paths that only need the text.
 * @example
 * sqlOf(['SELECT 1']) // 'SELECT 1'
 */
export function sqlOf(args: readonly unknown[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]
    if (typeof arg === 'string') return arg
    if (isPlainObject(arg) && typeof arg.query === 'string') return arg.query
  }
  return undefined
}

/**
 * A deterministic text for a value, used in cache keys: key order of plain objects does not matter, and
 * `1` and `'1'` differ. Class instances and functions throw, since their identity cannot make a stable key.
 * @example
 * stableKey({ b: 1, a: [2n, 'x'] }) // '{"a":[2n,"x"],"b":1}'
 */
export function stableKey(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      return Number.isFinite(value) ? String(value) : `#${String(value)}`
    case 'bigint':
      return `${value}n`
    case 'boolean':
      return value ? 'true' : 'false'
    case 'undefined':
      return 'undefined'
    case 'object': {
      if (value === null) return 'null'
      if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`
      if (value instanceof Date) return `D${value.getTime()}`
      if (ArrayBuffer.isView(value)) return `B${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`
      if (isPlainObject(value)) {
        const keys = Object.keys(value).sort()
        return `{${keys.map((k) => `${JSON.stringify(k)}:${stableKey(value[k])}`).join(',')}}`
      }
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object'
      throw new TypeError(`Expected cache key arguments to be plain data (strings, numbers, arrays, plain objects, Dates, Buffers), got a ${name}. Pass a \`key\` option to cacheQuery.`)
    }
    default:
      throw new TypeError(`Expected cache key arguments to be plain data, got a ${typeof value}. Pass a \`key\` option to cacheQuery.`)
  }
}
