import { CsvRowError, DatabaseError, TransientDatabaseError, isTransientError } from './errors'

describe('isTransientError', () => {
  it.each([
    [{ code: 'SQLITE_BUSY' }],
    [{ code: 'SQLITE_LOCKED' }],
    [{ code: 'ER_LOCK_DEADLOCK', errno: 1213 }],
    [{ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }],
    [{ code: 'PROTOCOL_CONNECTION_LOST' }],
    [{ name: 'KnexTimeoutError' }],
    [new TransientDatabaseError('x')],
    [{ code: '40001', severity: 'ERROR' }],
    [{ code: '40P01', severity: 'ERROR' }],
    [{ code: '57P01', severity: 'FATAL' }],
    [{ code: '53300', severity: 'FATAL' }],
    [{ code: '08006', severity: 'FATAL' }],
    [{ message: 'Connection terminated unexpectedly' }],
  ])('recognises %j', (err) => {
    expect(isTransientError(Object.assign(new Error('boom'), err))).toBe(true)
  })

  it.each([[{ code: 'SQLITE_ERROR' }], [{ code: 'ER_PARSE_ERROR', errno: 1064 }], [{ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }], [{ code: '23505', severity: 'ERROR' }], [{ code: '42601', severity: 'ERROR' }], [{ code: '40001' }]])('rejects %j', (err) => {
    expect(isTransientError(Object.assign(new Error('boom'), err))).toBe(false)
  })

  it('follows the cause chain, and survives cycles and non-errors', () => {
    const inner = Object.assign(new Error('deadlock'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 })
    expect(isTransientError(new DatabaseError('wrapped', { cause: inner }))).toBe(true)
    const a = new Error('a') as Error & { cause?: unknown }
    a.cause = a
    expect(isTransientError(a)).toBe(false)
    expect(isTransientError(undefined)).toBe(false)
    expect(isTransientError('SQLITE_BUSY')).toBe(false)
  })
})

describe('CsvRowError', () => {
  it('names the file, line, field and value, with a stable code', () => {
    const err = new CsvRowError('users.csv', 7, 'age', 'abc', 'age must be a number')
    expect(err).toBeInstanceOf(DatabaseError)
    expect(err.code).toBe('DB_CSV_INVALID_ROW')
    expect(err.line).toBe(7)
    expect(err.message).toBe('users.csv:7: invalid age "abc": age must be a number; nothing from this file was inserted')
    expect(err.name).toBe('CsvRowError')
  })
})
