import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, ValidationError, type FieldErrors } from '../errors'

interface AjvError {
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
 * Turns ajv errors into DRF's `{ field: [messages] }`, one message per field (the most specific).
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

function send(reply: FastifyReply, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  // Our own serializer: an error body must never depend on the route's response schema.
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body)
}

/**
 * Installs DRF-shaped error and not-found handlers: `{detail, code}`, field maps on 400, 404 for a
 * malformed id in a path, 413/415 for bodies, and never a stack trace.
 *
 * @example
 * installErrorHandling(app)
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((_request, reply) => send(reply, 404, { detail: 'Not found.', code: 'not_found' }))

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation) {
      // A malformed UUID in the path names nothing that exists: 404, as Django's URL converters answer.
      if (error.validationContext === 'params') return send(reply, 404, { detail: 'Not found.', code: 'not_found' })
      const data = error.validationContext === 'querystring' ? request.query : request.body
      return send(reply, 400, toFieldErrors(error.validation, data))
    }
    if (error instanceof ValidationError) return send(reply, 400, error.fields)
    if (error instanceof ApiError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message)
      return send(reply, error.statusCode, { detail: error.message, code: error.code }, error.headers)
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, 415, { detail: `Unsupported media type "${String(request.headers['content-type'] ?? '')}" in request.`, code: 'unsupported_media_type' })
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 413, { detail: 'Request body is too large.', code: 'payload_too_large' })
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, 400, { detail: `JSON parse error - ${error.message}`, code: 'parse_error' })
      default:
        break
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, error.statusCode, { detail: error.message, code: error.code ?? 'client_error' })
    }
    request.log.error({ err: error }, 'unhandled error')
    return send(reply, 500, { detail: 'A server error occurred.', code: 'server_error' })
  })
}
