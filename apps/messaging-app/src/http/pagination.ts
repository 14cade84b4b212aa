import type { FastifyRequest } from 'fastify'
import { NotFoundError } from '../errors'

/**
 * DRF's default page size.
 *
 * @example
 * parsePageRequest({}).pageSize === PAGE_SIZE // true
 */
export const PAGE_SIZE = 20
/**
 * DRF's `max_page_size`: larger requests are capped, not refused.
 *
 * @example
 * parsePageRequest({ page_size: '1000' }).pageSize === MAX_PAGE_SIZE // true
 */
export const MAX_PAGE_SIZE = 100

/** A validated page request. */
export interface PageRequest {
  readonly page: number
  readonly pageSize: number
  readonly offset: number
}

/** A DRF page body. */
export interface PageBody<T> {
  count: number
  next: string | null
  previous: string | null
  results: T[]
}

/**
 * Reads `page`/`page_size` as DRF's PageNumberPagination does: a bad page number is 404 `Invalid page.`,
 * a bad page size falls back to the default and a large one is capped at {@link MAX_PAGE_SIZE}.
 *
 * @example
 * parsePageRequest({ page: '2', page_size: '500' }) // { page: 2, pageSize: 100, offset: 100 }
 */
export function parsePageRequest(query: { page?: string | undefined; page_size?: string | undefined }): PageRequest {
  let page = 1
  if (query.page !== undefined) {
    if (!/^\d{1,9}$/.test(query.page) || Number(query.page) < 1) throw new NotFoundError('Invalid page.')
    page = Number(query.page)
  }
  let pageSize = PAGE_SIZE
  if (query.page_size !== undefined && /^\d{1,9}$/.test(query.page_size) && Number(query.page_size) > 0) {
    pageSize = Math.min(Number(query.page_size), MAX_PAGE_SIZE)
  }
  return { page, pageSize, offset: (page - 1) * pageSize }
}

/** The absolute URL of the current request with `changes` applied to its query (`null` removes a key). */
export function absoluteUrl(request: FastifyRequest, changes: Record<string, string | null>): string {
  // Only the query string is re-encoded (a full WHATWG URL parse per page link showed up in profiles).
  const index = request.url.indexOf('?')
  const path = index < 0 ? request.url : request.url.slice(0, index)
  const params = new URLSearchParams(index < 0 ? '' : request.url.slice(index + 1))
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key)
    else params.set(key, value)
  }
  const query = params.toString()
  return `${request.protocol}://${request.host}${path}${query ? `?${query}` : ''}`
}

/**
 * Builds DRF's `{count, next, previous, results}` with absolute links; a page past the last is 404.
 *
 * @example
 * return buildPage(request, pageRequest, count, rows)
 */
export function buildPage<T>(request: FastifyRequest, pageRequest: PageRequest, count: number, results: T[]): PageBody<T> {
  const { page, pageSize } = pageRequest
  const pages = Math.max(1, Math.ceil(count / pageSize))
  if (page > pages) throw new NotFoundError('Invalid page.')
  return {
    count,
    next: page < pages ? absoluteUrl(request, { page: String(page + 1) }) : null,
    previous: page === 1 ? null : absoluteUrl(request, { page: page === 2 ? null : String(page - 1) }),
    results,
  }
}
