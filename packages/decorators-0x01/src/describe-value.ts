/** A short, value-free description for error messages: `a string`, `42`, `a Date`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return 'a function'
  const name = (value as { constructor?: { name?: string } }).constructor?.name
  if (!name) return 'an object'
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`
}
