import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, ValidationError } from '../errors'
import { toFieldErrors } from './field-errors'

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
