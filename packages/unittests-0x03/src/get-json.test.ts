import { afterEach, describe, expect, jest, test } from '@jest/globals'
import { HttpError, InvalidJsonError, RequestTimeoutError } from './errors'
import { getJson } from './get-json'

/** A fetch stand-in that never answers and rejects with the signal's reason once aborted, as fetch does. */
function hangingFetch(_input: string | URL | Request, init?: RequestInit): Promise<Response> {
  return new Promise((_resolve, reject) => {
    const signal = init?.signal
    if (!signal) return
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })
  })
}

afterEach(() => {
  jest.restoreAllMocks()
})

describe('Task 2: getJson returns the JSON payload of one GET', () => {
  // The course's cases: get_json(url) calls requests.get(url) once and returns .json().
  test.each([
    ['http://example.com', { payload: true }],
    ['http://holberton.io', { payload: false }],
  ])('getJson(%p) fetches once and returns %j', async (url, payload) => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(Response.json(payload)))

    await expect(getJson(url)).resolves.toEqual(payload)

    expect(fetchSpy).toHaveBeenCalledTimes(1)
    expect(fetchSpy).toHaveBeenCalledWith(url, expect.objectContaining({ method: 'GET' }))
  })

  test('asks for JSON and merges the caller’s headers over the default', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(Response.json([])))

    await getJson('https://api.test/a')
    await getJson('https://api.test/b', { headers: { accept: 'application/vnd.github+json', 'user-agent': 'me' } })

    expect(fetchSpy.mock.calls[0]?.[1]?.headers).toEqual({ accept: 'application/json' })
    expect(fetchSpy.mock.calls[1]?.[1]?.headers).toEqual({ accept: 'application/vnd.github+json', 'user-agent': 'me' })
  })

  test('accepts a URL object and hands the response to onResponse before parsing', async () => {
    const link = '<https://api.test/items?page=2>; rel="next"'
    jest.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(Response.json([1, 2], { headers: { link } })))
    const seen: string[] = []

    const result = await getJson<number[]>(new URL('https://api.test/items'), {
      onResponse: (response) => seen.push(response.headers.get('link') ?? ''),
    })

    expect(result).toEqual([1, 2])
    expect(seen).toEqual([link])
  })

  test.each([
    [404, 'Not Found'],
    [500, 'Internal Server Error'],
  ])('a %i answer throws an HttpError with the status and URL', async (status, statusText) => {
    const url = 'https://api.test/orgs/missing'
    jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(() => Promise.resolve(Response.json({ message: statusText }, { status, statusText })))

    const error = await getJson(url).catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status, statusText, url, code: 'HTTP_STATUS', message: `GET ${url} failed: ${status} ${statusText}` })
    expect((error as HttpError).body).toContain(statusText)
  })

  test('an answer without a status text reads cleanly', async () => {
    jest.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(new Response('', { status: 418 })))

    await expect(getJson('https://api.test/teapot')).rejects.toThrow(new HttpError({ status: 418, url: 'https://api.test/teapot' }))
    expect(new HttpError({ status: 418, url: 'https://api.test/teapot' })).toMatchObject({
      message: 'GET https://api.test/teapot failed: 418',
      statusText: '',
      body: '',
    })
  })

  test('a body that is not JSON throws an InvalidJsonError naming the URL and content type', async () => {
    const html = '<!doctype html><title>Service unavailable</title>'
    jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(() => Promise.resolve(new Response(html, { headers: { 'content-type': 'text/html' } })))

    const error = await getJson('https://api.test/page').catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(InvalidJsonError)
    expect(error).toMatchObject({ url: 'https://api.test/page', contentType: 'text/html', body: html })
    expect((error as Error).message).toBe(`Expected a JSON body from https://api.test/page, got text/html: ${JSON.stringify(html)}.`)
    expect((error as Error).cause).toBeInstanceOf(SyntaxError)
  })

  test('an empty or long non-JSON body still reads clearly', async () => {
    jest
      .spyOn(globalThis, 'fetch')
      .mockImplementationOnce(() => Promise.resolve(new Response(null, { status: 200 })))
      .mockImplementationOnce(() => Promise.resolve(new Response('x'.repeat(1_000))))

    await expect(getJson('https://api.test/empty')).rejects.toThrow(
      'Expected a JSON body from https://api.test/empty, got no content type: an empty body.',
    )
    const long = (await getJson('https://api.test/long').catch((caught: unknown) => caught)) as InvalidJsonError
    expect(long.message).toContain(`"${'x'.repeat(60)}…"`)
    expect(long.body).toHaveLength(500)
  })

  test('a request slower than timeoutMs throws a RequestTimeoutError', async () => {
    jest.spyOn(globalThis, 'fetch').mockImplementation(hangingFetch)

    const error = await getJson('https://api.test/slow', { timeoutMs: 20 }).catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(RequestTimeoutError)
    expect(error).toMatchObject({ url: 'https://api.test/slow', timeoutMs: 20, code: 'HTTP_TIMEOUT' })
  })

  test('the caller’s abort rejects with its own reason, not a timeout', async () => {
    jest.spyOn(globalThis, 'fetch').mockImplementation(hangingFetch)
    const controller = new AbortController()

    const pending = getJson('https://api.test/slow', { signal: controller.signal, timeoutMs: 60_000 })
    controller.abort(new Error('user gave up'))

    await expect(pending).rejects.toThrow('user gave up')
  })

  test('timeoutMs: Infinity passes only the caller’s signal, or none', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(Response.json({})))
    const controller = new AbortController()

    await getJson('https://api.test/a', { timeoutMs: Number.POSITIVE_INFINITY })
    await getJson('https://api.test/b', { timeoutMs: Number.POSITIVE_INFINITY, signal: controller.signal })

    expect(fetchSpy.mock.calls[0]?.[1]).not.toHaveProperty('signal')
    expect(fetchSpy.mock.calls[1]?.[1]?.signal).toBe(controller.signal)
  })

  test('other fetch failures pass through untouched', async () => {
    const failure = new TypeError('fetch failed')
    jest.spyOn(globalThis, 'fetch').mockRejectedValue(failure)

    await expect(getJson('https://api.test/down')).rejects.toBe(failure)
  })

  test.each([
    ['', undefined, 'Expected `url` to be a non-empty string or a URL, got "".'],
    [42, undefined, 'Expected `url` to be a non-empty string or a URL, got 42.'],
    ['https://api.test', 0, 'Expected `timeoutMs` to be a positive integer or Infinity, got 0.'],
    ['https://api.test', 1.5, 'Expected `timeoutMs` to be a positive integer or Infinity, got 1.5.'],
    ['https://api.test', '100', 'Expected `timeoutMs` to be a positive integer or Infinity, got "100".'],
  ])('getJson(%p, { timeoutMs: %p }) throws a TypeError naming the bad value', async (url, timeoutMs, message) => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch')

    await expect(getJson(url as string, { timeoutMs: timeoutMs as number })).rejects.toThrow(new TypeError(message))
    expect(fetchSpy).not.toHaveBeenCalled()
  })
})
