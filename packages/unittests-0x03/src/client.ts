import { accessNestedMap } from './access-nested-map'
import { KeyError, PaginationError, formatValue } from './errors'
import { getJson } from './get-json'
import type { GetJsonOptions } from './get-json'
import { parseLinkHeader } from './link-header'
import { memoize } from './memoize'
import type { GithubOrg, GithubRepo, LicensedRepo } from './types'

/** Options for `GithubOrgClient`; every field is optional. */
export interface GithubOrgClientOptions {
  /**
   * The API root, e.g. a GitHub Enterprise server or a local stub.
   * @default 'https://api.github.com'
   */
  readonly baseUrl?: string
  /**
   * Sent as `User-Agent`, which GitHub requires.
   * @default '@alx/unittests-0x03'
   */
  readonly userAgent?: string
  /** A token sent as `Authorization: Bearer …`, only to the API's own origin. */
  readonly token?: string
  /** Per-request timeout passed to `getJson`. @default 10_000 */
  readonly timeoutMs?: number
  /** Cancels every request of this client. */
  readonly signal?: AbortSignal
  /**
   * The most `Link: rel="next"` pages `reposPayload` follows before throwing a `PaginationError`.
   * @default 100
   */
  readonly maxPages?: number
  /** The JSON fetcher; tests may inject a stub instead of mocking the module. @default getJson */
  readonly getJson?: (url: string, options?: GetJsonOptions) => Promise<unknown>
}

/** GitHub's documented `Accept` value for the REST API. */
export const GITHUB_ACCEPT = 'application/vnd.github+json'
/** The REST API version this client is written against. */
export const GITHUB_API_VERSION = '2022-11-28'
const DEFAULT_USER_AGENT = '@alx/unittests-0x03'
const DEFAULT_MAX_PAGES = 100

/**
 * A small GitHub organization client (the course's `client.GithubOrgClient`): the org, its public repos
 * (following `Link` pagination), and a license filter. `org` and `reposPayload` are fetched once per instance.
 *
 * @example
 * const client = new GithubOrgClient('google')
 * await client.publicRepos('apache-2.0') // => ['dagger', 'kratu', …]
 */
export class GithubOrgClient {
  /** The course's URL template; `orgUrl` fills it in (with `baseUrl`). */
  static readonly ORG_URL = 'https://api.github.com/orgs/{org}'

  /** The organization's login, as given. */
  readonly orgName: string
  readonly #baseUrl: string
  readonly #options: GithubOrgClientOptions

  constructor(orgName: string, options: GithubOrgClientOptions = {}) {
    if (typeof orgName !== 'string' || orgName.trim() === '') {
      throw new TypeError(`Expected \`orgName\` to be a non-empty string, got ${formatValue(orgName)}.`)
    }
    const { baseUrl = 'https://api.github.com', maxPages = DEFAULT_MAX_PAGES } = options
    if (!URL.canParse(baseUrl)) {
      throw new TypeError(`Expected \`baseUrl\` to be an absolute URL, got ${formatValue(baseUrl)}.`)
    }
    if (!Number.isInteger(maxPages) || maxPages < 1) {
      throw new TypeError(`Expected \`maxPages\` to be a positive integer, got ${formatValue(maxPages)}.`)
    }
    this.orgName = orgName
    this.#baseUrl = baseUrl.replace(/\/+$/, '')
    this.#options = options
  }

  /** The URL of `GET /orgs/{org}`, e.g. `https://api.github.com/orgs/google`. */
  get orgUrl(): string {
    return `${this.#baseUrl}/orgs/${encodeURIComponent(this.orgName)}`
  }

  /** The organization payload, fetched with one GET on first read and shared afterwards. */
  @memoize
  get org(): Promise<GithubOrg> {
    return this.#get<GithubOrg>(this.orgUrl)
  }

  /** The org's `repos_url`; a payload without one rejects with `KeyError: 'repos_url'`. */
  get publicReposUrl(): Promise<string> {
    return this.org.then((org) => {
      const url = accessNestedMap(org, ['repos_url'])
      if (typeof url !== 'string') {
        throw new TypeError(`Expected \`repos_url\` of ${this.orgName} to be a string, got ${formatValue(url)}.`)
      }
      return url
    })
  }

  /** Every public repository, all `Link: rel="next"` pages concatenated in order; fetched once per instance. */
  @memoize
  get reposPayload(): Promise<GithubRepo[]> {
    return this.publicReposUrl.then((url) => this.#getAllPages(url))
  }

  /**
   * The names of the public repositories, in GitHub's order, optionally only those under `license`.
   *
   * @example
   * await new GithubOrgClient('google').publicRepos('apache-2.0') // => ['dagger', 'kratu', 'traceur-compiler', 'firmata.py']
   */
  async publicRepos(license?: string): Promise<string[]> {
    const repos = await this.reposPayload
    return repos.filter((repo) => license === undefined || GithubOrgClient.hasLicense(repo, license)).map((repo) => repo.name)
  }

  /**
   * Whether `repo.license.key` equals `licenseKey`; a missing or null license is `false`, a missing key a `TypeError`.
   *
   * @example
   * GithubOrgClient.hasLicense({ license: { key: 'my_license' } }, 'my_license') // => true
   * GithubOrgClient.hasLicense({ license: null }, 'my_license') // => false
   */
  static hasLicense(repo: LicensedRepo, licenseKey: string): boolean {
    if (typeof licenseKey !== 'string' || licenseKey === '') {
      throw new TypeError(`Expected \`licenseKey\` to be a non-empty string, got ${formatValue(licenseKey)}.`)
    }
    try {
      return accessNestedMap(repo, ['license', 'key']) === licenseKey
    } catch (error) {
      if (error instanceof KeyError) return false
      throw error
    }
  }

  async #getAllPages(firstUrl: string): Promise<GithubRepo[]> {
    const { maxPages = DEFAULT_MAX_PAGES } = this.#options
    const origin = new URL(firstUrl).origin
    const seen = new Set<string>()
    const repos: GithubRepo[] = []
    let url: string | undefined = firstUrl
    while (url !== undefined) {
      if (seen.size >= maxPages) {
        throw new PaginationError(`Stopped after ${maxPages} pages of ${firstUrl}; raise \`maxPages\` to read more.`, { url })
      }
      seen.add(url)
      const link: { next?: string } = {}
      const page: unknown = await this.#get<unknown>(url, (response) => {
        link.next = parseLinkHeader(response.headers.get('link')).next
      })
      if (!Array.isArray(page)) {
        throw new TypeError(`Expected an array of repositories from ${url}, got ${formatValue(page)}.`)
      }
      repos.push(...(page as GithubRepo[]))
      url = link.next === undefined ? undefined : this.#checkNext(link.next, url, origin, seen)
    }
    return repos
  }

  #checkNext(next: string, current: string, origin: string, seen: ReadonlySet<string>): string {
    const resolved = new URL(next, current)
    // Never carry the token (or our trust) to another host.
    if (resolved.origin !== origin) {
      throw new PaginationError(`Refusing to follow rel="next" from ${origin} to ${resolved.origin}.`, { url: resolved.href })
    }
    if (seen.has(resolved.href)) {
      throw new PaginationError(`rel="next" loops back to ${resolved.href}.`, { url: resolved.href })
    }
    return resolved.href
  }

  #get<T>(url: string, onResponse?: (response: Response) => void): Promise<T> {
    const { userAgent = DEFAULT_USER_AGENT, token, timeoutMs, signal } = this.#options
    const headers: Record<string, string> = {
      accept: GITHUB_ACCEPT,
      'user-agent': userAgent,
      'x-github-api-version': GITHUB_API_VERSION,
    }
    if (token !== undefined && new URL(url).origin === new URL(this.#baseUrl).origin) headers.authorization = `Bearer ${token}`
    const fetchJson = this.#options.getJson ?? getJson
    return fetchJson(url, {
      headers,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(signal === undefined ? {} : { signal }),
      ...(onResponse === undefined ? {} : { onResponse }),
    }) as Promise<T>
  }
}
