import type { GithubLicense, GithubOrg, GithubOwner, GithubRepo } from './types'

/** The licenses the fixtures use, shaped as GitHub embeds them in a repository. */
export const LICENSES = {
  apache2: {
    key: 'apache-2.0',
    name: 'Apache License 2.0',
    spdx_id: 'Apache-2.0',
    url: 'https://api.github.com/licenses/apache-2.0',
    node_id: 'MDc6TGljZW5zZTI=',
  },
  bsd3: {
    key: 'bsd-3-clause',
    name: 'BSD 3-Clause "New" or "Revised" License',
    spdx_id: 'BSD-3-Clause',
    url: 'https://api.github.com/licenses/bsd-3-clause',
    node_id: 'MDc6TGljZW5zZTU=',
  },
  bsl1: {
    key: 'bsl-1.0',
    name: 'Boost Software License 1.0',
    spdx_id: 'BSL-1.0',
    url: 'https://api.github.com/licenses/bsl-1.0',
    node_id: 'MDc6TGljZW5zZTI4',
  },
  mit: {
    key: 'mit',
    name: 'MIT License',
    spdx_id: 'MIT',
    url: 'https://api.github.com/licenses/mit',
    node_id: 'MDc6TGljZW5zZTEz',
  },
  other: { key: 'other', name: 'Other', spdx_id: 'NOASSERTION', url: null, node_id: 'MDc6TGljZW5zZTA=' },
} as const satisfies Record<string, GithubLicense>

/** One organization's payloads and the names `publicRepos()` and `publicRepos('apache-2.0')` must return. */
export interface OrgFixture {
  readonly org: string
  readonly orgPayload: GithubOrg
  readonly reposPayload: readonly GithubRepo[]
  readonly expectedRepos: readonly string[]
  readonly apache2Repos: readonly string[]
}

const API = 'https://api.github.com'

function owner(login: string, id: number): GithubOwner {
  return {
    login,
    id,
    node_id: Buffer.from(`04:Organization${id}`).toString('base64'),
    type: 'Organization',
    url: `${API}/users/${login}`,
    html_url: `https://github.com/${login}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    repos_url: `${API}/users/${login}/repos`,
    site_admin: false,
  }
}

function org(login: string, id: number, description: string, publicRepos: number): GithubOrg {
  return {
    login,
    id,
    node_id: Buffer.from(`012:Organization${id}`).toString('base64'),
    url: `${API}/orgs/${login}`,
    repos_url: `${API}/orgs/${login}/repos`,
    events_url: `${API}/orgs/${login}/events`,
    hooks_url: `${API}/orgs/${login}/hooks`,
    issues_url: `${API}/orgs/${login}/issues`,
    members_url: `${API}/orgs/${login}/members{/member}`,
    public_members_url: `${API}/orgs/${login}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    description,
    name: login,
    blog: `https://${login}.example.org`,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `https://github.com/${login}`,
    created_at: '2019-03-14T09:26:53Z',
    updated_at: '2025-10-01T12:00:00Z',
    type: 'Organization',
  }
}

interface RepoSeed {
  readonly id: number
  readonly name: string
  readonly license: GithubLicense | null
  readonly language: string | null
  readonly description: string
  readonly stars: number
  readonly fork?: boolean
  readonly archived?: boolean
}

function repo(orgLogin: string, orgId: number, seed: RepoSeed): GithubRepo {
  const fullName = `${orgLogin}/${seed.name}`
  return {
    id: seed.id,
    node_id: Buffer.from(`010:Repository${seed.id}`).toString('base64'),
    name: seed.name,
    full_name: fullName,
    private: false,
    owner: owner(orgLogin, orgId),
    html_url: `https://github.com/${fullName}`,
    description: seed.description,
    fork: seed.fork ?? false,
    url: `${API}/repos/${fullName}`,
    created_at: '2020-01-15T10:00:00Z',
    updated_at: '2025-09-30T08:15:00Z',
    pushed_at: '2025-09-29T17:42:00Z',
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    clone_url: `https://github.com/${fullName}.git`,
    homepage: null,
    size: seed.id % 9_000,
    stargazers_count: seed.stars,
    watchers_count: seed.stars,
    language: seed.language,
    has_issues: true,
    forks_count: Math.floor(seed.stars / 7),
    archived: seed.archived ?? false,
    disabled: false,
    open_issues_count: seed.id % 13,
    license: seed.license,
    topics: [],
    visibility: 'public',
    default_branch: 'main',
    permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
  }
}

const HARBOR = { login: 'alx-harbor', id: 90_210_001 }
const harborRepos: readonly GithubRepo[] = [
  { id: 7_100_001, name: 'tidepool', license: LICENSES.apache2, language: 'TypeScript', description: 'Streams tide readings into SQLite.', stars: 412 },
  { id: 7_100_002, name: 'lantern-cli', license: LICENSES.bsd3, language: 'Go', description: 'A lighthouse log viewer.', stars: 88 },
  { id: 7_100_003, name: 'quarry', license: LICENSES.bsl1, language: 'C++', description: 'Header-only stone-cutting maths.', stars: 35 },
  { id: 7_100_004, name: 'kelp-forest', license: LICENSES.apache2, language: 'Python', description: 'Kelp growth simulator.', stars: 1_207 },
  { id: 7_100_005, name: 'alx-harbor.github.io', license: null, language: 'HTML', description: 'Our website.', stars: 3 },
  { id: 7_100_006, name: 'driftwood', license: LICENSES.other, language: 'Rust', description: 'Salvaged snippets.', stars: 19, archived: true },
  { id: 7_100_007, name: 'saltmarsh', license: LICENSES.apache2, language: 'Kotlin', description: 'Wetland sensor firmware.', stars: 260 },
  { id: 7_100_008, name: 'anchor-rs', license: LICENSES.mit, language: 'Rust', description: 'Mooring-line tension maths.', stars: 57, fork: true },
  { id: 7_100_009, name: 'buoy.py', license: LICENSES.apache2, language: 'Python', description: 'Buoy telemetry client.', stars: 143 },
  { id: 7_100_010, name: 'lighthouse-docs', license: LICENSES.other, language: null, description: 'Operating manuals.', stars: 7 },
].map((seed) => repo(HARBOR.login, HARBOR.id, seed))

const DOCK = { login: 'tiny-dock', id: 90_210_002 }
const dockRepos: readonly GithubRepo[] = [
  { id: 7_200_001, name: 'dinghy', license: LICENSES.bsd3, language: 'JavaScript', description: 'A very small boat.', stars: 2 },
  { id: 7_200_002, name: 'oar', license: null, language: 'Shell', description: 'Rowing scripts.', stars: 0 },
  { id: 7_200_003, name: 'rudder', license: LICENSES.bsl1, language: 'C', description: 'Steering firmware.', stars: 11 },
].map((seed) => repo(DOCK.login, DOCK.id, seed))

/**
 * The integration fixtures, one entry per organization, as the course's `fixtures.TEST_PAYLOAD`
 * (`org_payload, repos_payload, expected_repos, apache2_repos`) but with our own data.
 *
 * @example
 * for (const { org, expectedRepos } of TEST_PAYLOAD) console.log(org, expectedRepos.length) // alx-harbor 10, tiny-dock 3
 */
export const TEST_PAYLOAD: readonly OrgFixture[] = [
  {
    org: HARBOR.login,
    orgPayload: org(HARBOR.login, HARBOR.id, 'Tools for the seaside.', harborRepos.length),
    reposPayload: harborRepos,
    expectedRepos: [
      'tidepool',
      'lantern-cli',
      'quarry',
      'kelp-forest',
      'alx-harbor.github.io',
      'driftwood',
      'saltmarsh',
      'anchor-rs',
      'buoy.py',
      'lighthouse-docs',
    ],
    apache2Repos: ['tidepool', 'kelp-forest', 'saltmarsh', 'buoy.py'],
  },
  {
    org: DOCK.login,
    orgPayload: org(DOCK.login, DOCK.id, 'Small and unlicensed-ish.', dockRepos.length),
    reposPayload: dockRepos,
    expectedRepos: ['dinghy', 'oar', 'rudder'],
    apache2Repos: [],
  },
]
