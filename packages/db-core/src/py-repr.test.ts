import { PyTuple, pyRepr, pyRowRepr } from './py-repr'

describe('pyRepr and pyRowRepr print what Python prints', () => {
  it('quotes strings as Python does (single quotes unless the text has one and no double quote) and escapes', () => {
    expect(pyRepr("Shaquille O'Neal")).toBe(`"Shaquille O'Neal"`)
    expect(pyRepr(`both ' and "`)).toBe(`'both \\' and "'`)
    expect(pyRepr('a\\b\n')).toBe("'a\\\\b\\n'")
  })

  it('prints None, booleans, numbers, dicts, lists and tuples (a 1-tuple with its comma)', () => {
    expect(pyRepr({ user_id: 'x', age: 67, ok: true, gone: null })).toBe("{'user_id': 'x', 'age': 67, 'ok': True, 'gone': None}")
    expect(pyRepr([new PyTuple([1, 'a']), new PyTuple([7])])).toBe("[(1, 'a'), (7,)]")
    expect(pyRepr(Number.NaN)).toBe('nan')
  })

  it('pyRowRepr prints rows as sqlite3 tuples: a row object as a tuple of its values, a list of rows as a list', () => {
    expect(pyRowRepr([{ id: 1, name: "O'Neil", email: null }])).toBe(`[(1, "O'Neil", None)]`)
    expect(pyRowRepr({ id: 7 })).toBe('(7,)')
    expect(pyRowRepr(undefined)).toBe('None')
  })
})
