import { HttpError, InvalidJsonError, RequestTimeoutError, formatValue } from './errors'

/** Options for `getJson`; every field is optional. */
export interface GetJsonOptions {
  /** Cancels the request; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /**
   * Milliseconds allowed for the whole request, body included, before a `RequestTimeoutError`;
   * `Infinity` disables the timer.
   * @default 10_000
   */
  readonly timeoutMs?: number
  /** Request headers, merged over the default `Accept: application/json`. */
  readonly headers?: Readonly<Record<string, string>>
  /** Called with the response as soon as its headers arrive, e.g. to read a `Link` header. */
  readonly onResponse?: (response: Response) => void
}

/** The default of `GetJsonOptions.timeoutMs`. */
export const DEFAULT_TIMEOUT_MS = 10_000

// AbortSignal.timeout() takes an unsigned 32-bit delay; setTimeout caps at 2^31 - 1 anyway.
const MAX_TIMEOUT_MS = 2_147_483_647
const BODY_SNIPPET_LENGTH = 500

/**
 * Fetches `url` with the global `fetch` and returns its parsed JSON body (the course's `utils.get_json`).
 *
 * A status outside 200–299 throws an `HttpError` carrying the status and URL; a body that is not JSON
 * throws an `InvalidJsonError`; a request slower than `timeoutMs` throws a `RequestTimeoutError`.
 *
 * @example
 * const org = await getJson<{ repos_url: string }>('https://api.github.com/orgs/google', { timeoutMs: 5_000 })
 * org.repos_url // => 'https://api.github.com/orgs/google/repos'
 */
export async function getJson<T = unknown>(url: string | URL, options: GetJsonOptions = {}): Promise<T> {
  if (!(typeof url === 'string' && url !== '') && !(url instanceof URL)) {
    throw new TypeError(`Expected \`url\` to be a non-empty string or a URL, got ${formatValue(url)}.`)
  }
  const { signal, timeoutMs = DEFAULT_TIMEOUT_MS, headers, onResponse } = options
  if (
    typeof timeoutMs !== 'number' ||
    !(timeoutMs === Number.POSITIVE_INFINITY || (Number.isInteger(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS))
  ) {
    throw new TypeError(`Expected \`timeoutMs\` to be a positive integer or Infinity, got ${formatValue(timeoutMs)}.`)
  }
  const href = String(url)
  const timeoutSignal = timeoutMs === Number.POSITIVE_INFINITY ? undefined : AbortSignal.timeout(timeoutMs)
  const signals = [signal, timeoutSignal].filter((candidate) => candidate !== undefined)
  const combined = signals.length > 1 ? AbortSignal.any(signals) : signals[0]

  let response: Response
  let text: string
  try {
    response = await globalThis.fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...headers },
      ...(combined ? { signal: combined } : {}),
    })
    onResponse?.(response)
    text = await response.text()
  } catch (error) {
    // The timer fired and the caller did not abort: say so with a typed error instead of a bare AbortError.
    if (timeoutSignal?.aborted === true && signal?.aborted !== true) {
      throw new RequestTimeoutError({ url: href, timeoutMs }, { cause: error })
    }
    throw error
  }

  if (!response.ok) {
    throw new HttpError({
      status: response.status,
      statusText: response.statusText,
      url: href,
      body: text.slice(0, BODY_SNIPPET_LENGTH),
    })
  }
  try {
    return JSON.parse(text) as T
  } catch (error) {
    throw new InvalidJsonError({ url: href, contentType: response.headers.get('content-type'), body: text }, { cause: error })
  }
}
