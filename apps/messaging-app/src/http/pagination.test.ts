import type { FastifyRequest } from 'fastify'
import { NotFoundError } from '../errors'
import { absoluteUrl, buildPage, parsePageRequest } from './pagination'

const request = (url: string) => ({ url, protocol: 'https', host: 'api.example.com' }) as FastifyRequest

describe('Task 7: pagination and filters', () => {
  describe('parsePageRequest', () => {
    it('defaults to page 1 of 20 and caps page_size at 100', () => {
      expect(parsePageRequest({})).toEqual({ page: 1, pageSize: 20, offset: 0 })
      expect(parsePageRequest({ page: '3', page_size: '10' })).toEqual({ page: 3, pageSize: 10, offset: 20 })
      expect(parsePageRequest({ page_size: '500' })).toEqual({ page: 1, pageSize: 100, offset: 0 })
    })

    it('falls back to the default size for a bad page_size, as DRF does', () => {
      expect(parsePageRequest({ page_size: 'lots' }).pageSize).toBe(20)
      expect(parsePageRequest({ page_size: '0' }).pageSize).toBe(20)
    })

    it('refuses a bad page number with 404 "Invalid page."', () => {
      for (const page of ['0', '-2', 'two', '1e3', '']) {
        expect(() => parsePageRequest({ page })).toThrow(new NotFoundError('Invalid page.'))
      }
    })
  })

  describe('buildPage', () => {
    it('builds absolute next/previous links keeping the other query parameters', () => {
      const body = buildPage(request('/api/messages/?sender=x&page=2'), parsePageRequest({ page: '2' }), 45, ['a'])
      expect(body).toEqual({
        count: 45,
        next: 'https://api.example.com/api/messages/?sender=x&page=3',
        previous: 'https://api.example.com/api/messages/?sender=x',
        results: ['a'],
      })
    })

    it('answers an empty first page and refuses a page past the last', () => {
      expect(buildPage(request('/api/messages/'), parsePageRequest({}), 0, [])).toEqual({ count: 0, next: null, previous: null, results: [] })
      expect(() => buildPage(request('/api/messages/?page=3'), parsePageRequest({ page: '3' }), 40, [])).toThrow('Invalid page.')
    })
  })

  describe('absoluteUrl', () => {
    it('sets and removes query parameters', () => {
      expect(absoluteUrl(request('/p/?a=1&b=2'), { b: null, c: '3' })).toBe('https://api.example.com/p/?a=1&c=3')
      expect(absoluteUrl(request('/p/'), {})).toBe('https://api.example.com/p/')
    })
  })
})
