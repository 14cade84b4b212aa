import { describe, expect, test } from '@jest/globals'
import nock from 'nock'
import { GITHUB_ACCEPT, GithubOrgClient, HttpError, TEST_PAYLOAD, getJson } from '../../src/index'
import type { OrgFixture } from '../../src/index'

// The jest preset (@alx/jest-presets/http) has already called nock.disableNetConnect(): only 127.0.0.1 is reachable.
const API = 'https://api.github.com'

/** The course's setUpClass patcher as nock: each fixture URL answers its payload once, with GitHub's headers required. */
function interceptOrg(fixture: OrgFixture, repoPages: readonly (readonly unknown[])[] = [fixture.reposPayload]): nock.Scope {
  const reposPath = new URL(fixture.orgPayload.repos_url).pathname
  const scope = nock(API)
    .matchHeader('accept', GITHUB_ACCEPT)
    .matchHeader('user-agent', /\S/)
    .get(`/orgs/${fixture.org}`)
    .reply(200, fixture.orgPayload)
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
  describe.each(TEST_PAYLOAD)('with the $org fixtures', (fixture) => {
    test('org and reposPayload are the fixture payloads, fetched once each from api.github.com', async () => {
      const scope = interceptOrg(fixture)
      const client = new GithubOrgClient(fixture.org)

      await expect(client.org).resolves.toEqual(fixture.orgPayload)
      await expect(client.publicReposUrl).resolves.toBe(fixture.orgPayload.repos_url)
      await expect(client.reposPayload).resolves.toEqual(fixture.reposPayload)
      await expect(client.reposPayload).resolves.toEqual(fixture.reposPayload)
      scope.done()
    })

    test('an unknown organization is an HttpError 404 with its URL', async () => {
      const url = `${API}/orgs/${fixture.org}-gone`
      const scope = nock(API).get(`/orgs/${fixture.org}-gone`).reply(404, { message: 'Not Found' })

      const error = await new GithubOrgClient(`${fixture.org}-gone`).publicRepos().catch((caught: unknown) => caught)

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
  describe.each(TEST_PAYLOAD)('with the $org fixtures', (fixture) => {
    test('publicRepos() equals the expected repos', async () => {
      const scope = interceptOrg(fixture)

      await expect(new GithubOrgClient(fixture.org).publicRepos()).resolves.toEqual(fixture.expectedRepos)
      scope.done()
    })

    test("publicRepos('apache-2.0') equals the apache-2.0 repos", async () => {
      const scope = interceptOrg(fixture)

      await expect(new GithubOrgClient(fixture.org).publicRepos('apache-2.0')).resolves.toEqual(fixture.apache2Repos)
      scope.done()
    })

    test('both lists survive pagination over two pages, each page fetched once', async () => {
      const scope = interceptOrg(fixture, splitInTwo(fixture.reposPayload))
      const client = new GithubOrgClient(fixture.org)

      await expect(client.publicRepos()).resolves.toEqual(fixture.expectedRepos)
      await expect(client.publicRepos('apache-2.0')).resolves.toEqual(fixture.apache2Repos)
      scope.done()
    })
  })
})
