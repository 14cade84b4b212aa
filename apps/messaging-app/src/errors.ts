/**
 * Typed HTTP errors: each carries a stable `code`, and one table maps codes to statuses, so the error
 * handler can turn anything thrown into DRF's `{ "detail": … }` (or a field map on 400).
 */

/** Field-level validation messages in DRF's shape: `{ "field": ["message"] }`. */
export type FieldErrors = Record<string, string[]>

/**
 * The one table that maps an error code to its HTTP status.
 *
 * @example
 * STATUS_BY_CODE.throttled // 429
 */
export const STATUS_BY_CODE = {
  invalid: 400,
  parse_error: 400,
  not_authenticated: 401,
  authentication_failed: 401,
  token_not_valid: 401,
  permission_denied: 403,
  outside_access_window: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  throttled: 429,
  server_error: 500,
} as const satisfies Record<string, number>

/** A stable error code understood by {@link STATUS_BY_CODE}. */
export type ErrorCode = keyof typeof STATUS_BY_CODE

/**
 * An error that the API reports to the client as `{ detail, code }` with the status its code maps to.
 *
 * @example
 * throw new ApiError('not_found', 'Not found.')
 */
export class ApiError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string>>

  constructor(code: ErrorCode, detail: string, options: { cause?: unknown; headers?: Record<string, string> } = {}) {
    super(detail, { cause: options.cause })
    this.name = 'ApiError'
    this.code = code
    this.statusCode = STATUS_BY_CODE[code]
    this.headers = options.headers ?? {}
  }
}

/**
 * A 400 with DRF's field map body: `{ "participants": ["This list may not be empty."] }`.
 *
 * @example
 * throw new ValidationError({ start_date: ['Enter a valid date/time.'] })
 */
export class ValidationError extends ApiError {
  readonly fields: FieldErrors

  constructor(fields: FieldErrors) {
    const first = Object.entries(fields)[0]
    super('invalid', first ? `${first[0]}: ${first[1].join(' ')}` : 'Invalid input.')
    this.name = 'ValidationError'
    this.fields = fields
  }
}

/**
 * 404 `{"detail":"Not found."}`, also used to hide the existence of conversations the caller is not in.
 *
 * @example
 * throw new NotFoundError()
 */
export class NotFoundError extends ApiError {
  constructor(detail = 'Not found.') {
    super('not_found', detail)
    this.name = 'NotFoundError'
  }
}

/**
 * 403 `{"detail":"You do not have permission to perform this action."}`.
 *
 * @example
 * throw new PermissionDeniedError()
 */
export class PermissionDeniedError extends ApiError {
  constructor(detail = 'You do not have permission to perform this action.') {
    super('permission_denied', detail)
    this.name = 'PermissionDeniedError'
  }
}

/**
 * 401 with `WWW-Authenticate: Bearer`, as DRF answers a missing or bad token.
 *
 * @example
 * throw new AuthenticationError('not_authenticated', 'Authentication credentials were not provided.')
 */
export class AuthenticationError extends ApiError {
  constructor(code: 'not_authenticated' | 'authentication_failed' | 'token_not_valid', detail: string, options: { cause?: unknown } = {}) {
    super(code, detail, { cause: options.cause, headers: { 'www-authenticate': 'Bearer realm="api"' } })
    this.name = 'AuthenticationError'
  }
}
