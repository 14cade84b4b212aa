import { outputMatches } from './match'

describe('outputMatches', () => {
  it('compares line by line, ignoring trailing whitespace and blank lines at either end', () => {
    expect(outputMatches('a\nb', '\na  \nb\n\n')).toBe(true)
    expect(outputMatches('Database x is present ', 'Database x is present')).toBe(true)
    expect(outputMatches('a\nb', 'a\nc')).toBe(false)
    expect(outputMatches('a', 'a\nb')).toBe(false)
  })

  it('`…` in a line stands for any text', () => {
    expect(outputMatches('took … ms', 'took 12.5 ms')).toBe(true)
    expect(outputMatches('took … ms', 'took 12.5 s')).toBe(false)
    expect(outputMatches('(1+1) … [x]', '(1+1) = 2 [x]')).toBe(true)
  })

  it('a `...` line stands for any number of lines, none included', () => {
    expect(outputMatches('first\n...\nlast', 'first\nlast')).toBe(true)
    expect(outputMatches('first\n...\nlast', 'first\n1\n2\nlast')).toBe(true)
    expect(outputMatches('first\n...\nlast', 'first\n1\n2\nlast\nmore')).toBe(false)
    expect(outputMatches('...\nend', 'x\ny\nend')).toBe(true)
  })
})
