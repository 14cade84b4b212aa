// The learner's deliverable for Tasks 4-9 (the course's test_client.py), as the reference writes it.
// Unit tests patch getJson (as the course patches client.get_json); the integration tests mock only fetch, the
// HTTP boundary, serving the course's fixtures (the course's setUpClass patcher of requests.get).
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { GithubOrgClient } from '../src/client'
import { TEST_PAYLOAD } from '../src/fixtures'
import * as getJsonModule from '../src/get-json'
import type { GithubOrg } from '../src/types'

describe('Task 4: GithubOrgClient.org', () => {
  test.each(['google', 'abc'])('org of %p is getJson of its /orgs URL, called once', async (orgName) => {
    const payload = { login: orgName, repos_url: `https://api.github.com/orgs/${orgName}/repos` }
    using getJson = jest.spyOn(getJsonModule, 'getJson').mockResolvedValue(payload)

    await expect(new GithubOrgClient(orgName).org).resolves.toEqual(payload)

    expect(getJson).toHaveBeenCalledTimes(1)
    expect(getJson.mock.calls[0]?.[0]).toBe(`https://api.github.com/orgs/${orgName}`)
  })
})

describe('Task 5: GithubOrgClient.publicReposUrl', () => {
  test('publicReposUrl is the repos_url of the org payload (org mocked as a property)', async () => {
    const payload = { repos_url: 'https://api.github.com/orgs/testorg/repos-list' } as GithubOrg
    using org = jest.spyOn(GithubOrgClient.prototype, 'org', 'get').mockResolvedValue(payload)

    await expect(new GithubOrgClient('google').publicReposUrl).resolves.toBe(payload.repos_url)
    expect(org).toHaveBeenCalled()
  })
})

describe('Task 6: GithubOrgClient.publicRepos', () => {
  test('publicRepos lists the names of the payload in order; getJson and publicReposUrl are used once', async () => {
    const reposUrl = 'https://api.github.com/orgs/testorg/repos'
    using getJson = jest.spyOn(getJsonModule, 'getJson').mockResolvedValue([{ name: 'truth' }, { name: 'alpha' }, { name: 'zeta' }])
    using publicReposUrl = jest.spyOn(GithubOrgClient.prototype, 'publicReposUrl', 'get').mockResolvedValue(reposUrl)

    await expect(new GithubOrgClient('testorg').publicRepos()).resolves.toEqual(['truth', 'alpha', 'zeta'])

    expect(publicReposUrl).toHaveBeenCalledTimes(1)
    expect(getJson).toHaveBeenCalledTimes(1)
    expect(getJson.mock.calls[0]?.[0]).toBe(reposUrl)
  })
})

describe('Task 7: GithubOrgClient.hasLicense', () => {
  test.each([
    [{ license: { key: 'my_license' } }, 'my_license', true],
    [{ license: { key: 'other_license' } }, 'my_license', false],
  ])('hasLicense(%j, %p) is %p', (repo, licenseKey, expected) => {
    expect(GithubOrgClient.hasLicense(repo, licenseKey)).toBe(expected)
  })
})

/** The course's setUpClass: fetch answers each fixture URL with its payload; any other URL is a 404. */
function serveFixtures(orgPayload: { repos_url: string }, reposPayload: unknown): jest.SpiedFunction<typeof fetch> {
  return jest.spyOn(globalThis, 'fetch').mockImplementation((input) => {
    const url = input instanceof Request ? input.url : String(input)
    if (url === 'https://api.github.com/orgs/google') return Promise.resolve(Response.json(orgPayload))
    if (url === orgPayload.repos_url) return Promise.resolve(Response.json(reposPayload))
    return Promise.resolve(Response.json({ message: 'Not Found' }, { status: 404 }))
  })
}

describe('Task 8: integration test: fixtures', () => {
  describe.each(TEST_PAYLOAD)('GithubOrgClient("google") over the course fixtures', (orgPayload, reposPayload) => {
    let fetchMock: jest.SpiedFunction<typeof fetch>
    beforeAll(() => {
      fetchMock = serveFixtures(orgPayload, reposPayload)
    })
    afterAll(() => {
      fetchMock.mockRestore()
    })
    beforeEach(() => {
      fetchMock.mockClear()
    })

    test('org and reposPayload are the fixture payloads, each URL fetched once', async () => {
      const client = new GithubOrgClient('google')

      await expect(client.org).resolves.toEqual(orgPayload)
      await expect(client.reposPayload).resolves.toEqual(reposPayload)
      await expect(client.reposPayload).resolves.toEqual(reposPayload)

      expect(fetchMock.mock.calls.map(([input]) => (input instanceof Request ? input.url : String(input)))).toEqual(['https://api.github.com/orgs/google', orgPayload.repos_url])
    })
  })
})

describe('Task 9: integration tests', () => {
  describe.each(TEST_PAYLOAD)('GithubOrgClient("google") over the course fixtures', (orgPayload, reposPayload, expectedRepos, apache2Repos) => {
    let fetchMock: jest.SpiedFunction<typeof fetch>
    beforeAll(() => {
      fetchMock = serveFixtures(orgPayload, reposPayload)
    })
    afterAll(() => {
      fetchMock.mockRestore()
    })

    test('publicRepos() is the expected repos', async () => {
      await expect(new GithubOrgClient('google').publicRepos()).resolves.toEqual(expectedRepos)
    })

    test('publicRepos("apache-2.0") is the apache-2.0 repos', async () => {
      await expect(new GithubOrgClient('google').publicRepos('apache-2.0')).resolves.toEqual(apache2Repos)
    })
  })
})
