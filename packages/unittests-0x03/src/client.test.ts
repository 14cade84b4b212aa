import { beforeEach, describe, expect, jest, test } from '@jest/globals'
import { GITHUB_ACCEPT, GITHUB_API_VERSION, GithubOrgClient } from './client'
import { KeyError, PaginationError } from './errors'
import { parseLinkHeader } from './link-header'
import { getJson } from './get-json'
import type { GetJsonOptions } from './get-json'
import type { GithubRepo } from './types'

// The course patches `client.get_json`; ts-jest compiles to CommonJS, so mocking the module does the same here.
jest.mock('./get-json')
const mockedGetJson = jest.mocked(getJson)

beforeEach(() => {
  mockedGetJson.mockReset()
})

function repo(name: string, licenseKey: string | null): GithubRepo {
  return { id: name.length, name, full_name: `acme/${name}`, license: licenseKey === null ? null : { key: licenseKey, name: licenseKey, spdx_id: null, url: null, node_id: 'x' } }
}

/** Serves `pages` by URL through the mocked getJson, sending each page's `Link` header to onResponse. */
function servePages(pages: Record<string, { body: unknown; link?: string }>): void {
  mockedGetJson.mockImplementation(<T,>(url: string | URL, options?: GetJsonOptions): Promise<T> => {
    const page = pages[String(url)]
    if (page === undefined) return Promise.reject(new Error(`unexpected GET ${String(url)}`))
    options?.onResponse?.(new Response(null, { headers: page.link === undefined ? {} : { link: page.link } }))
    return Promise.resolve(page.body as T)
  })
}

describe('Task 4: GithubOrgClient.org fetches the organization once', () => {
  // The course's cases, in its order.
  test.each(['google', 'abc'])('org of %p is the payload of one GET to its /orgs URL', async (orgName) => {
    const payload = { login: orgName, id: 1, repos_url: `https://api.github.com/orgs/${orgName}/repos` }
    mockedGetJson.mockResolvedValue(payload)
    const client = new GithubOrgClient(orgName)

    await expect(client.org).resolves.toEqual(payload)
    await expect(client.org).resolves.toEqual(payload)

    expect(mockedGetJson).toHaveBeenCalledTimes(1)
    expect(mockedGetJson).toHaveBeenCalledWith(`https://api.github.com/orgs/${orgName}`, expect.anything())
  })

  test('sends GitHub’s Accept, a User-Agent and the API version; a token only when given', async () => {
    mockedGetJson.mockResolvedValue({})

    await new GithubOrgClient('google').org
    await new GithubOrgClient('google', { userAgent: 'grader/1.0', token: 't0k', timeoutMs: 500 }).org

    expect(mockedGetJson.mock.calls[0]?.[1]).toEqual({
      headers: { accept: GITHUB_ACCEPT, 'user-agent': '@alx/unittests-0x03', 'x-github-api-version': GITHUB_API_VERSION },
    })
    expect(mockedGetJson.mock.calls[1]?.[1]).toEqual({
      headers: { accept: GITHUB_ACCEPT, 'user-agent': 'grader/1.0', 'x-github-api-version': GITHUB_API_VERSION, authorization: 'Bearer t0k' },
      timeoutMs: 500,
    })
  })

  test('escapes the org name and honours baseUrl and an injected getJson', async () => {
    const controller = new AbortController()
    const injected = jest.fn((url: string, _options?: GetJsonOptions) => Promise.resolve({ url }))
    const client = new GithubOrgClient('a b/c', { baseUrl: 'http://127.0.0.1:8080/api/', getJson: injected, signal: controller.signal })

    await expect(client.org).resolves.toEqual({ url: 'http://127.0.0.1:8080/api/orgs/a%20b%2Fc' })
    expect(injected).toHaveBeenCalledWith('http://127.0.0.1:8080/api/orgs/a%20b%2Fc', expect.objectContaining({ signal: controller.signal }))
    expect(mockedGetJson).not.toHaveBeenCalled()
  })

  test('a failed fetch is not cached: the next read asks again', async () => {
    mockedGetJson.mockRejectedValueOnce(new Error('503')).mockResolvedValueOnce({ login: 'google' })
    const client = new GithubOrgClient('google')

    await expect(client.org).rejects.toThrow('503')
    await expect(client.org).resolves.toEqual({ login: 'google' })
    expect(mockedGetJson).toHaveBeenCalledTimes(2)
  })

  test.each([
    ['', {}, 'Expected `orgName` to be a non-empty string, got "".'],
    [undefined, {}, 'Expected `orgName` to be a non-empty string, got undefined.'],
    ['google', { baseUrl: 'api.github.com' }, 'Expected `baseUrl` to be an absolute URL, got "api.github.com".'],
    ['google', { maxPages: 0 }, 'Expected `maxPages` to be a positive integer, got 0.'],
  ])('new GithubOrgClient(%p, %j) throws a TypeError', (orgName, options, message) => {
    expect(() => new GithubOrgClient(orgName as string, options)).toThrow(new TypeError(message))
  })
})

describe('Task 5: publicReposUrl comes from the org payload', () => {
  test('publicReposUrl is org.repos_url (org mocked as a property)', async () => {
    const payload = { login: 'google', id: 1, repos_url: 'https://api.github.com/orgs/google/repos' }
    using org = jest.spyOn(GithubOrgClient.prototype, 'org', 'get').mockResolvedValue(payload)

    await expect(new GithubOrgClient('google').publicReposUrl).resolves.toBe(payload.repos_url)
    expect(org).toHaveBeenCalledTimes(1)
    expect(mockedGetJson).not.toHaveBeenCalled()
  })

  test('a payload without repos_url rejects with KeyError: \'repos_url\'', async () => {
    using _org = jest.spyOn(GithubOrgClient.prototype, 'org', 'get').mockResolvedValue({ login: 'google', id: 1 } as never)

    const error = await new GithubOrgClient('google').publicReposUrl.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(KeyError)
    expect(error).toMatchObject({ key: 'repos_url', message: "'repos_url'" })
  })

  test('a repos_url that is not a string rejects with a TypeError', async () => {
    using _org = jest.spyOn(GithubOrgClient.prototype, 'org', 'get').mockResolvedValue({ login: 'google', id: 1, repos_url: 7 } as never)

    await expect(new GithubOrgClient('google').publicReposUrl).rejects.toThrow(
      new TypeError('Expected `repos_url` of google to be a string, got 7.'),
    )
  })
})

describe('Task 6: publicRepos lists repository names', () => {
  const reposUrl = 'https://api.github.com/orgs/acme/repos'
  const repos = [repo('rocket', 'apache-2.0'), repo('anvil', 'mit'), repo('magnet', null), repo('catapult', 'apache-2.0')]

  test('names come from the payload at publicReposUrl, in order; both mocks are called once', async () => {
    mockedGetJson.mockResolvedValue(repos)
    using publicReposUrl = jest.spyOn(GithubOrgClient.prototype, 'publicReposUrl', 'get').mockResolvedValue(reposUrl)
    const client = new GithubOrgClient('acme')

    await expect(client.publicRepos()).resolves.toEqual(['rocket', 'anvil', 'magnet', 'catapult'])
    await expect(client.publicRepos('apache-2.0')).resolves.toEqual(['rocket', 'catapult'])
    await expect(client.publicRepos('gpl-3.0')).resolves.toEqual([])

    expect(publicReposUrl).toHaveBeenCalledTimes(1)
    expect(mockedGetJson).toHaveBeenCalledTimes(1)
    expect(mockedGetJson).toHaveBeenCalledWith(reposUrl, expect.anything())
  })

  test('reposPayload follows Link rel="next" and concatenates the pages in order', async () => {
    servePages({
      'https://api.github.com/orgs/acme': { body: { login: 'acme', id: 1, repos_url: reposUrl } },
      [reposUrl]: { body: repos.slice(0, 2), link: `<${reposUrl}?page=2>; rel="next", <${reposUrl}?page=3>; rel="last"` },
      [`${reposUrl}?page=2`]: { body: repos.slice(2, 3), link: '</orgs/acme/repos?page=3>; rel="next"' },
      [`${reposUrl}?page=3`]: { body: repos.slice(3), link: `<${reposUrl}?page=1>; rel="first", <${reposUrl}?page=2>; rel="prev"` },
    })
    const client = new GithubOrgClient('acme')

    await expect(client.publicRepos()).resolves.toEqual(['rocket', 'anvil', 'magnet', 'catapult'])
    await expect(client.publicRepos('apache-2.0')).resolves.toEqual(['rocket', 'catapult'])
    expect(mockedGetJson.mock.calls.map(([url]) => url)).toEqual([
      'https://api.github.com/orgs/acme',
      reposUrl,
      `${reposUrl}?page=2`,
      `${reposUrl}?page=3`,
    ])
  })

  test('pagination refuses another origin, a loop, too many pages and a non-array page', async () => {
    const cases: [Record<string, { body: unknown; link?: string }>, number | undefined, string][] = [
      [{ [reposUrl]: { body: [], link: '<https://evil.test/repos?page=2>; rel="next"' } }, undefined, 'Refusing to follow rel="next" from https://api.github.com to https://evil.test.'],
      [{ [reposUrl]: { body: [], link: `<${reposUrl}>; rel="next"` } }, undefined, `rel="next" loops back to ${reposUrl}.`],
      [{ [reposUrl]: { body: [], link: `<${reposUrl}?page=2>; rel="next"` } }, 1, `Stopped after 1 pages of ${reposUrl}; raise \`maxPages\` to read more.`],
    ]
    for (const [pages, maxPages, message] of cases) {
      servePages(pages)
      using _url = jest.spyOn(GithubOrgClient.prototype, 'publicReposUrl', 'get').mockResolvedValue(reposUrl)
      const error = await new GithubOrgClient('acme', maxPages === undefined ? {} : { maxPages }).reposPayload.catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(PaginationError)
      expect(error).toMatchObject({ message, code: 'GITHUB_PAGINATION' })
    }

    servePages({ [reposUrl]: { body: { message: 'Not Found' } } })
    using _url = jest.spyOn(GithubOrgClient.prototype, 'publicReposUrl', 'get').mockResolvedValue(reposUrl)
    await expect(new GithubOrgClient('acme').reposPayload).rejects.toThrow(
      new TypeError(`Expected an array of repositories from ${reposUrl}, got {"message":"Not Found"}.`),
    )
  })

  test.each([
    [null, {}],
    ['', {}],
    ['<https://a.test/r?page=2>; rel="next"', { next: 'https://a.test/r?page=2' }],
    ['<https://a.test/r?page=1>; rel="prev first", <https://a.test/r?page=9>; rel=last', { prev: 'https://a.test/r?page=1', first: 'https://a.test/r?page=1', last: 'https://a.test/r?page=9' }],
    ['<https://a.test/r?ids=1,2>; title="a;b"; rel="NEXT", <https://a.test/r?x>; rel="next"', { next: 'https://a.test/r?ids=1,2' }],
    ['garbage; rel="next", <https://a.test/ok>; type="text/html"', {}],
  ])('parseLinkHeader(%p) reads %j', (header, links) => {
    expect(parseLinkHeader(header)).toEqual(links)
  })

  test('the token is not sent to a repos_url on another origin', async () => {
    servePages({
      'https://api.github.com/orgs/acme': { body: { login: 'acme', id: 1, repos_url: 'https://mirror.test/acme/repos' } },
      'https://mirror.test/acme/repos': { body: [] },
    })

    await new GithubOrgClient('acme', { token: 'secret' }).publicRepos()

    expect(mockedGetJson.mock.calls[0]?.[1]?.headers).toHaveProperty('authorization', 'Bearer secret')
    expect(mockedGetJson.mock.calls[1]?.[1]?.headers).not.toHaveProperty('authorization')
  })
})

describe('Task 7: hasLicense compares license.key', () => {
  // The course's cases.
  test.each([
    [{ license: { key: 'my_license' } }, 'my_license', true],
    [{ license: { key: 'other_license' } }, 'my_license', false],
  ])('hasLicense(%j, %p) is %p', (repository, licenseKey, expected) => {
    expect(GithubOrgClient.hasLicense(repository, licenseKey)).toBe(expected)
  })

  test.each([
    ['a null license', { license: null }],
    ['no license field', {}],
    ['a license without a key', { license: {} }],
  ])('%s is false', (_label, repository) => {
    expect(GithubOrgClient.hasLicense(repository, 'my_license')).toBe(false)
  })

  test('an error other than a missing key is not swallowed', () => {
    const broken = {
      get license(): { key: string } {
        throw new RangeError('license lookup failed')
      },
    }
    expect(() => GithubOrgClient.hasLicense(broken, 'mit')).toThrow(new RangeError('license lookup failed'))
  })

  test.each([undefined, null, ''])('a missing license key (%p) throws a TypeError', (licenseKey) => {
    expect(() => GithubOrgClient.hasLicense({ license: { key: 'x' } }, licenseKey as string)).toThrow(
      /^Expected `licenseKey` to be a non-empty string, got (undefined|null|"")\.$/,
    )
  })
})
