import { describe, expect, test } from '@jest/globals'
import nock from 'nock'
import { GITHUB_ACCEPT, GithubOrgClient, HttpError, TEST_PAYLOAD, getJson } from '../../src/index'
import type { GithubRepo, OrgPayload } from '../../src/index'

// The jest preset (@alx/jest-presets/http) has already called nock.disableNetConnect(): only 127.0.0.1 is reachable.
const API = 'https://api.github.com'
const ORG = 'google'

/** The course's setUpClass patcher as nock: each fixture URL answers its payload once, with GitHub's headers required. */
function interceptOrg(orgPayload: OrgPayload, repoPages: readonly (readonly GithubRepo[])[]): nock.Scope {
  const reposPath = new URL(orgPayload.repos_url).pathname
  const scope = nock(API)
    .matchHeader('accept', GITHUB_ACCEPT)
    .matchHeader('user-agent', /\S/)
    .get(`/orgs/${ORG}`)
    .reply(200, orgPayload)
  repoPages.forEach((page, index) => {
    const pageNumber = index + 1
    const pageUrl = (n: number): string => `${API}${reposPath}?page=${n}`
    const links = [
      ...(pageNumber < repoPages.length ? [`<${pageUrl(pageNumber + 1)}>; rel="next"`, `<${pageUrl(repoPages.length)}>; rel="last"`] : []),
      ...(pageNumber > 1 ? [`<${pageUrl(pageNumber - 1)}>; rel="prev"`, `<${pageUrl(1)}>; rel="first"`] : []),
    ]
    const interceptor = pageNumber === 1 ? scope.get(reposPath) : scope.get(reposPath).query({ page: String(pageNumber) })
    interceptor.reply(200, page, links.length > 0 ? { Link: links.join(', ') } : {})
  })
  return scope
}

function splitInTwo<T>(items: readonly T[]): [T[], T[]] {
  const half = Math.ceil(items.length / 2)
  return [items.slice(0, half), items.slice(half)]
}

describe('Task 8: integration test: fixtures', () => {
  describe.each(TEST_PAYLOAD)('with the course fixtures (google)', (orgPayload, reposPayload) => {
    test('org and reposPayload are the fixture payloads, fetched once each from api.github.com', async () => {
      const scope = interceptOrg(orgPayload, [reposPayload])
      const client = new GithubOrgClient(ORG)

      await expect(client.org).resolves.toEqual(orgPayload)
      await expect(client.publicReposUrl).resolves.toBe(orgPayload.repos_url)
      await expect(client.reposPayload).resolves.toEqual(reposPayload)
      await expect(client.reposPayload).resolves.toEqual(reposPayload)
      scope.done()
    })

    test('an unknown organization is an HttpError 404 with its URL', async () => {
      const url = `${API}/orgs/${ORG}-gone`
      const scope = nock(API).get(`/orgs/${ORG}-gone`).reply(404, { message: 'Not Found' })

      const error = await new GithubOrgClient(`${ORG}-gone`).publicRepos().catch((caught: unknown) => caught)

      expect(error).toBeInstanceOf(HttpError)
      expect(error).toMatchObject({ status: 404, url })
      scope.done()
    })
  })

  test('the real network is disabled', async () => {
    await expect(getJson('https://example.com/orgs/google')).rejects.toMatchObject({ name: 'NetConnectNotAllowedError' })
  })
})

describe('Task 9: integration tests', () => {
  describe.each(TEST_PAYLOAD)('with the course fixtures (google)', (orgPayload, reposPayload, expectedRepos, apache2Repos) => {
    test('publicRepos() equals the expected repos', async () => {
      const scope = interceptOrg(orgPayload, [reposPayload])

      await expect(new GithubOrgClient(ORG).publicRepos()).resolves.toEqual(expectedRepos)
      scope.done()
    })

    test("publicRepos('apache-2.0') equals the apache-2.0 repos", async () => {
      const scope = interceptOrg(orgPayload, [reposPayload])

      await expect(new GithubOrgClient(ORG).publicRepos('apache-2.0')).resolves.toEqual(apache2Repos)
      scope.done()
    })

    test('both lists survive pagination over two pages, each page fetched once', async () => {
      const scope = interceptOrg(orgPayload, splitInTwo(reposPayload))
      const client = new GithubOrgClient(ORG)

      await expect(client.publicRepos()).resolves.toEqual(expectedRepos)
      await expect(client.publicRepos('apache-2.0')).resolves.toEqual(apache2Repos)
      scope.done()
    })
  })
})
