import type { FastifyRequest } from 'fastify'
import { callerOf } from '../auth/authenticate'

/**
 * Formats the course's request log line: `<ISO timestamp> - User: <email|Anonymous> - Path: <path>`.
 *
 * @example
 * formatRequestLine(new Date(0), undefined, '/api/x/') // '1970-01-01T00:00:00.000Z - User: Anonymous - Path: /api/x/'
 */
export function formatRequestLine(at: Date, user: string | undefined, path: string): string {
  return `${at.toISOString()} - User: ${user ?? 'Anonymous'} - Path: ${path}`
}

/**
 * The course's RequestLoggingMiddleware for one finished request: the line for `request` at `at`, with the
 * caller's email (`request.user`, when authenticated) and the path without its query string.
 *
 * @example
 * requestLogLine(request, new Date()) // '2024-01-01T18:00:00.000Z - User: ada@example.com - Path: /api/conversations/'
 */
export function requestLogLine(request: FastifyRequest, at: Date): string {
  const path = request.url.split('?', 1)[0] ?? request.url
  return formatRequestLine(at, callerOf(request)?.email, path)
}
