import type { FastifyRequest } from 'fastify'
import type { AuthUser } from '../users/repository'

/** The course's log line: `<ISO time> - User: <email or Anonymous> - Path: <path>`. */
export function formatRequestLine(at: Date, user: string | undefined, path: string): string {
  return `${at.toISOString()} - User: ${user ?? 'Anonymous'} - Path: ${path}`
}

/** The log line of one request: the authenticated user's email and the URL without its query string. */
export function requestLogLine(request: FastifyRequest, at: Date): string {
  // request.user is null when the request was not authenticated
  const user = request.user as AuthUser | null | undefined
  const email = user ? user.email : undefined
  const path = request.url.split('?')[0] ?? request.url
  return formatRequestLine(at, email, path)
}
