// Python's repr() for what the course's templates print: rows of sqlite3 (tuples), lists of them, str, int, None.

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

/**
 * A value as Python prints it: a row (an object) as sqlite3's tuple of its column values, an array as a list.
 * @example
 * pyRepr([{ id: 1, name: "O'Neil", email: null }]) // `[(1, "O'Neil", None)]`
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'string') return reprString(value)
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`
  if (typeof value === 'object') {
    const items = Object.values(value as Record<string, unknown>).map(pyRepr)
    return items.length === 1 ? `(${items[0] ?? ''},)` : `(${items.join(', ')})`
  }
  return typeof value === 'symbol' ? reprString(value.toString()) : `<function ${(value as () => void).name}>`
}
