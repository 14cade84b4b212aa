export interface AjvError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
}

/** Python's name for the type of a JSON value, as DRF prints it. */
function pythonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'list'
  if (value === null || value === undefined) return 'NoneType'
  if (typeof value === 'string') return 'str'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  return 'dict'
}

/** `/participants/0` → `participants.0`. */
function pathToKey(instancePath: string): string {
  return instancePath.split('/').filter((part) => part !== '').join('.')
}

/** DRF's message for one ajv error. */
function messageFor(error: AjvError): string {
  const params = error.params
  switch (error.keyword) {
    case 'required':
      return 'This field is required.'
    case 'minLength':
      return Number(params.limit) === 1 ? 'This field may not be blank.' : `Ensure this field has at least ${String(params.limit)} characters.`
    case 'maxLength':
      return `Ensure this field has no more than ${String(params.limit)} characters.`
    case 'minItems':
      return Number(params.limit) === 1 ? 'This list may not be empty.' : `Ensure this field has at least ${String(params.limit)} elements.`
    case 'maxItems':
      return `Ensure this field has no more than ${String(params.limit)} elements.`
    case 'minimum':
      return `Ensure this value is greater than or equal to ${String(params.limit)}.`
    case 'maximum':
      return `Ensure this value is less than or equal to ${String(params.limit)}.`
    case 'format':
      if (params.format === 'uuid') return 'Must be a valid UUID.'
      if (params.format === 'email') return 'Enter a valid email address.'
      if (params.format === 'date-time') return 'Datetime has wrong format.'
      return 'Enter a valid value.'
    case 'type':
      if (params.type === 'string') return 'Not a valid string.'
      if (params.type === 'integer') return 'A valid integer is required.'
      if (params.type === 'number') return 'A valid number is required.'
      if (params.type === 'boolean') return 'Must be a valid boolean.'
      if (params.type === 'array') return 'Expected a list of items.'
      return 'Invalid value.'
    case 'enum':
    case 'const':
      return 'This is not a valid choice.'
    default:
      return error.message ?? 'Invalid value.'
  }
}

/** Turns ajv's errors into DRF's serializer errors: `{ field: [message] }`, one message per field. */
export function toFieldErrors(errors: readonly AjvError[], data: unknown): Record<string, string[]> {
  const fields: Record<string, string[]> = {}
  for (const error of errors) {
    let key = pathToKey(error.instancePath)
    let message = messageFor(error)
    if (error.keyword === 'required') {
      const missing = String(error.params.missingProperty ?? '')
      key = key === '' ? missing : `${key}.${missing}`
    }
    if (key === '') {
      key = 'non_field_errors'
      if (error.keyword === 'type' && error.params.type === 'object') {
        message = `Invalid data. Expected a dictionary, but got ${pythonTypeName(data)}.`
      }
    }
    // one message per field: the first error wins
    if (fields[key] === undefined) fields[key] = [message]
  }
  return fields
}
