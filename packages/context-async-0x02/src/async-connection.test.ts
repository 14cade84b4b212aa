import { assertStatement, toTarget } from './async-connection'

describe('Task 0: connection targets (the provided AsyncConnection)', () => {
  it('reads a string as a URL and nothing as the default', () => {
    expect(toTarget('sqlite:./users.db')).toEqual({ url: 'sqlite:./users.db' })
    expect(toTarget(undefined)).toEqual({})
  })

  it('refuses both a db and a URL, masking any password', () => {
    const db = {} as never
    expect(() => toTarget({ db, url: 'mysql://root:secret@127.0.0.1/test' })).toThrow(
      new TypeError('Expected either `db` or `url`, not both (got url mysql://root:***@127.0.0.1/test).'),
    )
  })

  it('refuses a target that is neither a URL nor options', () => {
    expect(() => toTarget(42 as never)).toThrow(new TypeError('Expected a database URL or `{ db }` / `{ url }` options, got 42.'))
  })
})

describe('Task 1: ExecuteQuery arguments', () => {
  it('accepts SQL with an array of parameters', () => {
    expect(() => assertStatement('SELECT * FROM users WHERE age > ?', [25])).not.toThrow()
  })

  it('names the bad value', () => {
    expect(() => assertStatement('   ', [])).toThrow(new TypeError('Expected `sql` to be a non-empty string, got "   ".'))
    expect(() => assertStatement(undefined, [])).toThrow(new TypeError('Expected `sql` to be a non-empty string, got undefined.'))
    // Python passes (25,); a bare value is the classic mistake
    expect(() => assertStatement('SELECT ?', 25)).toThrow(new TypeError('Expected `params` to be an array of values bound to the ? placeholders, got 25.'))
    expect(() => assertStatement('SELECT ?', '25')).toThrow(new TypeError('Expected `params` to be an array of values bound to the ? placeholders, got "25".'))
  })
})
