// Compares what a block printed with the output its README shows.

function lineMatches(pattern: string, line: string): boolean {
  if (!pattern.includes('…')) return pattern === line
  const parts = pattern.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${parts.join('.*')}$`, 's').test(line)
}

function normalize(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n').map((l) => l.trimEnd())
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  while (lines.length > 0 && lines[0] === '') lines.shift()
  return lines
}

/**
 * True when `actual` is the output `expected` shows: line by line, trailing whitespace and leading/trailing blank
 * lines ignored; `…` in a line stands for any text, and a line that is just `...` for any number of lines.
 * @example
 * outputMatches('a\n...\nAverage age: …', 'a\nb\nc\nAverage age: 42.00') // true
 */
export function outputMatches(expected: string, actual: string): boolean {
  const want = normalize(expected)
  const got = normalize(actual)
  // memoized backtracking over (pattern line, output line)
  const memo = new Map<number, boolean>()
  const match = (i: number, j: number): boolean => {
    const key = i * (got.length + 1) + j
    const known = memo.get(key)
    if (known !== undefined) return known
    let ok: boolean
    if (i === want.length) ok = j === got.length
    else if (want[i] === '...') ok = match(i + 1, j) || (j < got.length && match(i, j + 1))
    else ok = j < got.length && lineMatches(want[i] ?? '', got[j] ?? '') && match(i + 1, j + 1)
    memo.set(key, ok)
    return ok
  }
  return match(0, 0)
}
