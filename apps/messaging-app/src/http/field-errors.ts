import type { FieldErrors } from '../errors'

/** One ajv validation error, as Fastify reports it on `error.validation`. */
export interface AjvError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
}

function fieldOf(error: AjvError): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.')
  if (error.keyword === 'required') {
    const missing = typeof error.params.missingProperty === 'string' ? error.params.missingProperty : ''
    return path ? `${path}.${missing}` : missing
  }
  return path || 'non_field_errors'
}

function messageOf(error: AjvError, data: unknown): string {
  const p = error.params
  switch (error.keyword) {
    case 'required':
      return 'This field is required.'
    case 'maxLength':
      return `Ensure this field has no more than ${String(p.limit)} characters.`
    case 'minLength':
      return p.limit === 1 ? 'This field may not be blank.' : `Ensure this field has at least ${String(p.limit)} characters.`
    case 'maxItems':
      return `Ensure this field has no more than ${String(p.limit)} elements.`
    case 'minItems':
      return p.limit === 1 ? 'This list may not be empty.' : `Ensure this field has at least ${String(p.limit)} elements.`
    case 'format':
      if (p.format === 'uuid') return 'Must be a valid UUID.'
      if (p.format === 'email') return 'Enter a valid email address.'
      return `Enter a valid ${String(p.format)}.`
    case 'anyOf':
    case 'const':
    case 'enum':
      return 'Select a valid choice.'
    case 'pattern':
      return 'Enter a valid value.'
    case 'type':
      if (error.instancePath === '') return `Invalid data. Expected a dictionary, but got ${Array.isArray(data) ? 'list' : typeof data}.`
      if (p.type === 'array') return 'Expected a list of items.'
      if (p.type === 'integer' || p.type === 'number') return 'A valid integer is required.'
      if (p.type === 'boolean') return 'Must be a valid boolean.'
      return 'Not a valid string.'
    default:
      return error.message ?? 'Invalid value.'
  }
}

/**
 * DRF's serializer errors from ajv's: `{ field: [messages] }`, the field named by the error's path (nested
 * with dots, `participants.0`), the missing property for `required`, and `non_field_errors` for the body
 * itself; DRF's wording per keyword (`required` → "This field is required.", `minLength` 1 → "This field may
 * not be blank.", `maxLength` → "Ensure this field has no more than N characters.", `format` uuid → "Must be a
 * valid UUID.", email → "Enter a valid email address.", a body not an object → "Invalid data. Expected a
 * dictionary, but got list."); one message per field, no duplicates.
 *
 * @example
 * toFieldErrors([{ keyword: 'required', instancePath: '', params: { missingProperty: 'message_body' } }], {})
 * // { message_body: ['This field is required.'] }
 */
export function toFieldErrors(errors: readonly AjvError[], data: unknown): FieldErrors {
  const fields: FieldErrors = {}
  for (const error of errors) {
    const field = fieldOf(error)
    // anyOf reports each failed branch first; the summary message is enough.
    if (error.keyword === 'const' && errors.some((e) => e.keyword === 'anyOf' && fieldOf(e) === field)) continue
    const message = messageOf(error, data)
    const list = (fields[field] ??= [])
    if (!list.includes(message)) list.push(message)
  }
  return fields
}

