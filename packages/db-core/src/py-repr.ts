// Python's repr() for the values the ALX main files print (str, int/float, None, bool, dict, tuple, list): the demos of every module print through it.

/** A tuple, printed `(a, b)` as Python prints the rows of `cursor.fetchall()`. */
export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

function reprString(s: string): string {
  // Python picks single quotes unless the string has a single quote and no double quote.
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0
    if (ch === quote || ch === '\\') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return out + quote
}

function reprNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  return String(n)
}

/**
 * Renders a value as Python's `repr()` would (the ages are DECIMAL columns shown as plain numbers, as the course's sample output does).
 * @example
 * pyRepr({ user_id: 'x', age: 67 }) // "{'user_id': 'x', 'age': 67}"
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'string') return reprString(value)
  if (typeof value === 'number') return reprNumber(value)
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof PyTuple) return value.items.length === 1 ? `(${pyRepr(value.items[0])},)` : `(${value.items.map(pyRepr).join(', ')})`
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`
  if (typeof value === 'symbol') return reprString(value.toString())
  if (typeof value === 'function') return `<function ${value.name}>`
  return `{${Object.entries(value).map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`).join(', ')}}`
}

function asTuples(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asTuples)
  if (value !== null && typeof value === 'object' && !(value instanceof PyTuple)) return new PyTuple(Object.values(value))
  return value
}

/**
 * Rows as Python's sqlite3 prints them: each row (an object) a tuple of its column values, a list of rows a list;
 * for demos that print what the course's main files print.
 * @example
 * pyRowRepr([{ id: 1, name: "O'Neil", email: null }]) // `[(1, "O'Neil", None)]`
 */
export function pyRowRepr(value: unknown): string {
  return pyRepr(asTuples(value))
}
