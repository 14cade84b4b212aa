import type { TestDatabase } from '@alx/db-core/testing'
import { toFieldErrors } from '../../src/http/field-errors'
import { buildTaskApp, hasMariaDb, openDb, type Dialect } from './support'

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openDb(dialect)
  })
  afterAll(async () => {
    await db.close()
  })

  it('answers an invalid registration with 400 and a DRF field map', async () => {
    const app = await buildTaskApp(db)
    try {
      const res = await app.inject({ method: 'POST', url: '/api/auth/register/', payload: { email: 'not-an-email', password: 'long enough', last_name: '' } })
      expect({ status: res.statusCode, body: res.json<unknown>() }).toEqual({
        status: 400,
        body: { email: ['Enter a valid email address.'], first_name: ['This field is required.'], last_name: ['This field may not be blank.'] },
      })
    } finally {
      await app.close()
    }
  })
}

describe('Task 2: Schemas validate input and filter output (serializers)', () => {
  describe('toFieldErrors', () => {
    it('maps ajv errors to DRF field messages, one per field', () => {
      const fields = toFieldErrors(
        [
          { keyword: 'required', instancePath: '', params: { missingProperty: 'message_body' } },
          { keyword: 'format', instancePath: '/participants/0', params: { format: 'uuid' } },
          { keyword: 'maxLength', instancePath: '/title', params: { limit: 5 } },
          { keyword: 'minLength', instancePath: '/name', params: { limit: 1 } },
        ],
        {},
      )
      expect(fields).toEqual({
        message_body: ['This field is required.'],
        'participants.0': ['Must be a valid UUID.'],
        title: ['Ensure this field has no more than 5 characters.'],
        name: ['This field may not be blank.'],
      })
    })

    it('names a body that is not an object in non_field_errors', () => {
      expect(toFieldErrors([{ keyword: 'type', instancePath: '', params: { type: 'object' } }], [1])).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] })
    })
  })

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
