import knex from 'knex'
import { assertPositiveInteger, compileQuery } from './stream'

describe('assertPositiveInteger', () => {
  it.each([0, -1, 1.5, Number.NaN, Infinity, '3', null, undefined])('rejects %p naming the value', (value) => {
    expect(() => assertPositiveInteger('batchSize', value)).toThrow(TypeError)
    expect(() => assertPositiveInteger('batchSize', value)).toThrow(/^Expected `batchSize` to be a positive integer, got /)
  })

  it('shows the bad value exactly', () => {
    expect(() => assertPositiveInteger('batchSize', 0)).toThrow('Expected `batchSize` to be a positive integer, got 0.')
    expect(() => assertPositiveInteger('pageSize', '3')).toThrow('Expected `pageSize` to be a positive integer, got "3".')
  })

  it('accepts positive integers', () => {
    expect(() => assertPositiveInteger('batchSize', 1)).not.toThrow()
    expect(() => assertPositiveInteger('batchSize', 50_000)).not.toThrow()
  })
})

describe('compileQuery', () => {
  const builder = knex({ client: 'mysql2' })

  it('passes plain SQL and {sql, bindings} through', () => {
    expect(compileQuery('SELECT 1')).toEqual({ sql: 'SELECT 1', bindings: [] })
    expect(compileQuery({ sql: 'SELECT ?', bindings: [1] })).toEqual({ sql: 'SELECT ?', bindings: [1] })
  })

  it('compiles a knex builder to native SQL with bindings', () => {
    expect(compileQuery(builder('users').where('age', '>', 25))).toEqual({ sql: 'select * from `users` where `age` > ?', bindings: [25] })
  })
})
