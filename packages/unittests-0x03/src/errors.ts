/**
 * Renders a key the way Python's `repr()` does, so `KeyError('a').message` reads `'a'` like `str(KeyError('a'))`.
 *
 * @example
 * pythonRepr('a') // => "'a'"
 * pythonRepr("it's") // => `"it's"`
 * pythonRepr(0) // => '0'
 */
export function pythonRepr(key: PropertyKey): string {
  if (typeof key === 'symbol') return key.toString()
  if (typeof key === 'number') return String(key)
  // Python picks single quotes unless the text holds a single quote and no double quote.
  const quote = key.includes("'") && !key.includes('"') ? '"' : "'"
  const escaped = key
    .replaceAll('\\', '\\\\')
    .replaceAll(quote, `\\${quote}`)
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')
  return `${quote}${escaped}${quote}`
}

/**
 * Thrown by `accessNestedMap` for a missing key or a step into a non-object; `message` is the Python repr of the key.
 *
 * @example
 * try { accessNestedMap({}, ['a']) } catch (error) { if (error instanceof KeyError) error.key } // => 'a'
 */
export class KeyError extends Error {
  override readonly name = 'KeyError'
  readonly code = 'KEY_ERROR'
  /** The key that could not be read. */
  readonly key: PropertyKey
  /** The whole path that was being walked. */
  readonly path: readonly PropertyKey[]

  constructor(key: PropertyKey, path: readonly PropertyKey[] = [key], options?: ErrorOptions) {
    super(pythonRepr(key), options)
    this.key = key
    this.path = path
  }
}

/**
 * Thrown by `getJson` when the server answers with a status outside 200–299.
 *
 * @example
 * new HttpError({ status: 404, statusText: 'Not Found', url: 'https://api.github.com/orgs/nope' }).message
 * // => 'GET https://api.github.com/orgs/nope failed: 404 Not Found'
 */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  readonly code = 'HTTP_STATUS'
  readonly status: number
  readonly statusText: string
  readonly url: string
  /** The first 500 characters of the response body, for diagnostics. */
  readonly body: string

  constructor(init: { status: number; statusText?: string; url: string; body?: string }, options?: ErrorOptions) {
    const statusText = init.statusText ?? ''
    super(`GET ${init.url} failed: ${init.status}${statusText ? ` ${statusText}` : ''}`, options)
    this.status = init.status
    this.statusText = statusText
    this.url = init.url
    this.body = init.body ?? ''
  }
}

/**
 * Thrown by `getJson` when a 2xx body is not valid JSON (an HTML error page, an empty body…).
 *
 * @example
 * new InvalidJsonError({ url: 'https://x.test', contentType: 'text/html', body: '<html>' }).code // => 'HTTP_INVALID_JSON'
 */
export class InvalidJsonError extends Error {
  override readonly name = 'InvalidJsonError'
  readonly code = 'HTTP_INVALID_JSON'
  readonly url: string
  readonly contentType: string | null
  /** The first 500 characters of the body that failed to parse. */
  readonly body: string

  constructor(init: { url: string; contentType: string | null; body: string }, options?: ErrorOptions) {
    const snippet = init.body.length > 60 ? `${init.body.slice(0, 60)}…` : init.body
    super(
      `Expected a JSON body from ${init.url}, got ${init.contentType ?? 'no content type'}: ${snippet === '' ? 'an empty body' : JSON.stringify(snippet)}.`,
      options,
    )
    this.url = init.url
    this.contentType = init.contentType
    this.body = init.body.slice(0, 500)
  }
}

/**
 * Thrown by `getJson` when `timeoutMs` elapses before the whole body has arrived.
 *
 * @example
 * new RequestTimeoutError({ url: 'https://x.test', timeoutMs: 50 }).message // => 'GET https://x.test timed out after 50 ms.'
 */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError'
  readonly code = 'HTTP_TIMEOUT'
  readonly url: string
  readonly timeoutMs: number

  constructor(init: { url: string; timeoutMs: number }, options?: ErrorOptions) {
    super(`GET ${init.url} timed out after ${init.timeoutMs} ms.`, options)
    this.url = init.url
    this.timeoutMs = init.timeoutMs
  }
}

/**
 * Thrown by `GithubOrgClient` when `Link: rel="next"` pagination cannot be followed safely
 * (a loop, another origin, or more pages than `maxPages`).
 *
 * @example
 * new PaginationError('Too many pages', { url: 'https://api.github.com/orgs/x/repos?page=101' }).code // => 'GITHUB_PAGINATION'
 */
export class PaginationError extends Error {
  override readonly name = 'PaginationError'
  readonly code = 'GITHUB_PAGINATION'
  readonly url: string

  constructor(message: string, init: { url: string }, options?: ErrorOptions) {
    super(message, options)
    this.url = init.url
  }
}

/**
 * Formats any value for a `TypeError` message: strings quoted, arrays and objects as JSON, the rest as `String()`.
 *
 * @example
 * formatValue('') // => '""'
 * formatValue(0) // => '0'
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value)
    } catch {
      return Object.prototype.toString.call(value)
    }
  }
  return String(value)
}
