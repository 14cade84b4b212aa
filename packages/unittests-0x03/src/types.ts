/** A license as GitHub embeds it in a repository (`GET /orgs/{org}/repos`). */
export interface GithubLicense {
  readonly key: string
  readonly name: string
  readonly spdx_id: string | null
  readonly url: string | null
  readonly node_id: string
}

/** The owner block of a repository. */
export interface GithubOwner {
  readonly login: string
  readonly id: number
  readonly node_id: string
  readonly type: 'Organization' | 'User'
  readonly url: string
  readonly html_url: string
  readonly [field: string]: unknown
}

/** A repository as GitHub lists it; only the fields this package reads are required. */
export interface GithubRepo {
  readonly id: number
  readonly name: string
  readonly full_name: string
  readonly license?: GithubLicense | null
  readonly [field: string]: unknown
}

/** An organization as `GET /orgs/{org}` returns it; only the fields this package reads are required. */
export interface GithubOrg {
  readonly login: string
  readonly id: number
  readonly repos_url: string
  readonly [field: string]: unknown
}

/** The least a repository needs for `GithubOrgClient.hasLicense`: an optional, possibly null, license. */
export interface LicensedRepo {
  readonly license?: { readonly key?: unknown } | null
}
