import { toFieldErrors } from './field-errors'

describe('Task 2: schemas validate input and filter output (serializers)', () => {
  describe('toFieldErrors', () => {
    it('maps ajv errors to DRF field messages, one per field', () => {
      const fields = toFieldErrors(
        [
          { keyword: 'required', instancePath: '', params: { missingProperty: 'message_body' } },
          { keyword: 'format', instancePath: '/participants/0', params: { format: 'uuid' } },
          { keyword: 'maxLength', instancePath: '/title', params: { limit: 5 } },
          { keyword: 'const', instancePath: '/ordering', params: {} },
          { keyword: 'anyOf', instancePath: '/ordering', params: {} },
        ],
        {},
      )
      expect(fields).toEqual({
        message_body: ['This field is required.'],
        'participants.0': ['Must be a valid UUID.'],
        title: ['Ensure this field has no more than 5 characters.'],
        ordering: ['Select a valid choice.'],
      })
    })

    it('names a body of the wrong type in non_field_errors', () => {
      expect(toFieldErrors([{ keyword: 'type', instancePath: '', params: { type: 'object' } }], [1])).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] })
    })
  })
})
