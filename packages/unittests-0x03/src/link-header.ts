/**
 * Parses an RFC 8288 `Link` header into `{ [rel]: url }` (first link wins per rel), as GitHub sends for pagination.
 *
 * @example
 * parseLinkHeader('<https://api.github.com/orgs/x/repos?page=2>; rel="next", <https://api.github.com/orgs/x/repos?page=5>; rel="last"')
 * // => { next: 'https://api.github.com/orgs/x/repos?page=2', last: 'https://api.github.com/orgs/x/repos?page=5' }
 */
export function parseLinkHeader(header: string | null | undefined): Readonly<Record<string, string>> {
  const links: Record<string, string> = {}
  if (header === null || header === undefined) return links
  // Commas may appear inside URLs, so split only where the next link's `<` starts.
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(part)
    if (match === null) continue
    const [, url = '', params = ''] = match
    for (const param of params.split(';')) {
      const [name = '', ...rest] = param.split('=')
      if (name.trim().toLowerCase() !== 'rel') continue
      const value = rest.join('=').trim().replace(/^"(.*)"$/s, '$1')
      for (const rel of value.split(/\s+/).filter(Boolean)) {
        const key = rel.toLowerCase()
        if (!Object.hasOwn(links, key)) links[key] = url
      }
    }
  }
  return links
}
