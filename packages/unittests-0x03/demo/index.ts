// Demo: accessNestedMap on the course's cases, then GithubOrgClient against the course's fixtures served by a local
// stub of api.github.com on 127.0.0.1 (paginated with Link headers). No request leaves the machine.
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GithubOrgClient, KeyError, TEST_PAYLOAD, accessNestedMap } from '../src/index'

// The course's fixtures are Google's organization.
const ORG = 'google'
const PER_PAGE = 4

console.log('accessNestedMap')
const cases: [unknown, readonly PropertyKey[]][] = [
  [{ a: 1 }, ['a']],
  [{ a: { b: 2 } }, ['a']],
  [{ a: { b: 2 } }, ['a', 'b']],
  [{}, ['a']],
  [{ a: 1 }, ['a', 'b']],
]
for (const [nestedMap, path] of cases) {
  const call = `accessNestedMap(${JSON.stringify(nestedMap)}, ${JSON.stringify(path)})`
  try {
    console.log(`  ${call} → ${JSON.stringify(accessNestedMap(nestedMap, path))}`)
  } catch (error) {
    if (!(error instanceof KeyError)) throw error
    console.log(`  ${call} → throws ${String(error)}`)
  }
}

const requests: string[] = []
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`)
  requests.push(`${url.pathname}${url.search}`)
  const base = `http://${request.headers.host ?? '127.0.0.1'}`
  const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body))
  }
  if (!request.headers['user-agent']) return send(403, { message: 'Request forbidden: a User-Agent header is required' })
  const [, orgs, login, repos] = url.pathname.split('/')
  const fixture = TEST_PAYLOAD.map(([orgPayload, reposPayload, expectedRepos, apache2Repos]) => ({ org: ORG, orgPayload, reposPayload, expectedRepos, apache2Repos })).find((candidate) => candidate.org === login)
  if (orgs !== 'orgs' || fixture === undefined) return send(404, { message: 'Not Found' })
  const reposUrl = `${base}/orgs/${fixture.org}/repos`
  if (repos === undefined) return send(200, { ...fixture.orgPayload, repos_url: reposUrl })
  const page = Number(url.searchParams.get('page') ?? '1')
  const last = Math.max(1, Math.ceil(fixture.reposPayload.length / PER_PAGE))
  const links = [
    ...(page < last ? [`<${reposUrl}?page=${page + 1}>; rel="next"`, `<${reposUrl}?page=${last}>; rel="last"`] : []),
    ...(page > 1 ? [`<${reposUrl}?page=${page - 1}>; rel="prev"`, `<${reposUrl}?page=1>; rel="first"`] : []),
  ]
  send(200, fixture.reposPayload.slice((page - 1) * PER_PAGE, page * PER_PAGE), links.length > 0 ? { link: links.join(', ') } : {})
})

async function main(): Promise<void> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const baseUrl = `http://127.0.0.1:${port}`

  let mismatches = 0
  try {
    for (const [orgPayload, reposPayload, expectedRepos, apache2Repos] of TEST_PAYLOAD) {
      const fixture = { org: ORG, orgPayload, reposPayload, expectedRepos, apache2Repos }
      requests.length = 0
      const client = new GithubOrgClient(fixture.org, { baseUrl })
      const all = await client.publicRepos()
      const apache = await client.publicRepos('apache-2.0')
      const ok = JSON.stringify(all) === JSON.stringify(fixture.expectedRepos) && JSON.stringify(apache) === JSON.stringify(fixture.apache2Repos)
      if (!ok) mismatches += 1
      console.log(`\nGithubOrgClient('${fixture.org}') via ${baseUrl}`)
      console.log(`  publicRepos()             → ${JSON.stringify(all)}`)
      console.log(`  publicRepos('apache-2.0') → ${JSON.stringify(apache)}`)
      console.log(`  requests (org memoized, ${PER_PAGE} repos per page): ${requests.join('  ')}`)
      console.log(`  matches the fixture's expected lists: ${ok ? 'yes' : 'NO'}`)
    }
    const missing = await new GithubOrgClient('no-such-org', { baseUrl }).publicRepos().catch((error: unknown) => error)
    console.log(`\nGithubOrgClient('no-such-org').publicRepos() → ${String(missing)}`)
  } finally {
    server.close()
}
if (mismatches > 0) process.exitCode = 1
console.log(`\ndemo: ${TEST_PAYLOAD.length} orgs, ${TEST_PAYLOAD.length - mismatches} matched their expected repo lists`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
