// An alternative learner submission for Tasks 4-9, written from tasks.md alone: getJson replaced by a jest.mock
// factory that keeps the real function for the integration tests, org/publicReposUrl spied as getters, and nock
// (not a fetch spy) at the HTTP boundary, one scope per test.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import nock from 'nock'
import { GithubOrgClient, TEST_PAYLOAD, getJson } from '../src'
import type { GithubOrg } from '../src'

jest.mock('../src/get-json', () => {
  const actual = jest.requireActual<typeof import('../src/get-json')>('../src/get-json')
  return { ...actual, getJson: jest.fn(actual.getJson) }
})
const getJsonMock = jest.mocked(getJson)

afterEach(() => {
  getJsonMock.mockClear()
  jest.restoreAllMocks()
})

describe('Task 4: org comes from one getJson call', () => {
  it.each(['google', 'abc'])('GithubOrgClient(%s).org', async (login) => {
    getJsonMock.mockResolvedValueOnce({ login, answer: 42 })

    const org = await new GithubOrgClient(login).org

    expect(org).toStrictEqual({ login, answer: 42 })
    expect(getJsonMock).toHaveBeenCalledTimes(1)
    expect(getJsonMock).toHaveBeenCalledWith(`https://api.github.com/orgs/${login}`, expect.anything())
  })
})

describe('Task 5: publicReposUrl reads org.repos_url', () => {
  it('returns the mocked payload URL', async () => {
    const known = { repos_url: 'https://example.test/somewhere/else' } as GithubOrg
    jest.spyOn(GithubOrgClient.prototype, 'org', 'get').mockReturnValue(Promise.resolve(known))

    expect(await new GithubOrgClient('octo').publicReposUrl).toBe('https://example.test/somewhere/else')
  })
})

describe('Task 6: publicRepos lists names', () => {
  it('keeps the payload order and calls each mock once', async () => {
    getJsonMock.mockResolvedValueOnce([{ name: 'mango' }, { name: 'apple' }, { name: 'kiwi' }, { name: 'banana' }])
    const url = jest.spyOn(GithubOrgClient.prototype, 'publicReposUrl', 'get').mockReturnValue(Promise.resolve('https://example.test/repos'))

    const names = await new GithubOrgClient('fruit').publicRepos()

    expect(names).toStrictEqual(['mango', 'apple', 'kiwi', 'banana'])
    expect(url).toHaveBeenCalledTimes(1)
    expect(getJsonMock).toHaveBeenCalledTimes(1)
    expect(getJsonMock.mock.calls[0]?.[0]).toBe('https://example.test/repos')
  })
})

describe('Task 7: hasLicense', () => {
  it.each([
    { repo: { license: { key: 'my_license' } }, key: 'my_license', expected: true },
    { repo: { license: { key: 'other_license' } }, key: 'my_license', expected: false },
  ])('$repo.license.key vs $key is $expected', ({ repo, key, expected }) => {
    expect(GithubOrgClient.hasLicense(repo, key)).toBe(expected)
  })
})

describe('Task 8: integration over the fixtures', () => {
  describe.each(TEST_PAYLOAD)('google fixtures', (orgPayload, reposPayload) => {
    let scope: nock.Scope
    beforeEach(() => {
      const reposPath = new URL(orgPayload.repos_url).pathname
      scope = nock('https://api.github.com').get('/orgs/google').once().reply(200, orgPayload).get(reposPath).once().reply(200, [...reposPayload])
    })

    it('serves org and repos payloads, one request each', async () => {
      const client = new GithubOrgClient('google')

      expect(await client.org).toStrictEqual(orgPayload)
      expect(await client.reposPayload).toStrictEqual(reposPayload)
      expect(await client.reposPayload).toStrictEqual(reposPayload)
      scope.done()
    })
  })
})

describe('Task 9: integration: publicRepos', () => {
  describe.each(TEST_PAYLOAD)('google fixtures', (orgPayload, reposPayload, expectedRepos, apache2Repos) => {
    let scope: nock.Scope
    beforeEach(() => {
      scope = nock('https://api.github.com').get('/orgs/google').reply(200, orgPayload).get('/orgs/google/repos').reply(200, [...reposPayload])
    })
    afterEach(() => {
      scope.done()
    })

    it('every repository', async () => {
      expect(await new GithubOrgClient('google').publicRepos()).toStrictEqual(expectedRepos)
    })

    it('apache-2.0 only', async () => {
      expect(await new GithubOrgClient('google').publicRepos('apache-2.0')).toStrictEqual(apache2Repos)
    })
  })
})
