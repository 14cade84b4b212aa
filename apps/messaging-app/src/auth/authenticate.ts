import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { FastReads } from '../db/fast-reads'
import { AuthenticationError } from '../errors'
import { findAuthUser, type AuthUser } from '../users/repository'
import { verifyToken } from './jwt'

declare module '@fastify/jwt' {
  interface FastifyJWT {
    user: AuthUser
  }
}

/** The caller when authenticated, `undefined` otherwise (for hooks that run on every request). */
export function callerOf(request: FastifyRequest): AuthUser | undefined {
  // @fastify/jwt types `user` as always set; before authentication it is really null.
  const user: AuthUser | null | undefined = request.user
  return user ?? undefined
}

/**
 * Builds the `onRequest` hook of protected routes: a Bearer access token (never a refresh token) whose
 * user still exists, else 401 with `WWW-Authenticate: Bearer`.
 *
 * @example
 * app.get('/api/users/me/', { onRequest: createAuthenticate(app, reads) }, handler)
 */
export function createAuthenticate(app: FastifyInstance, reads: FastReads) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization
    if (header === undefined || header === '') throw new AuthenticationError('not_authenticated', 'Authentication credentials were not provided.')
    const parts = header.split(' ')
    if (parts[0]?.toLowerCase() !== 'bearer') throw new AuthenticationError('not_authenticated', 'Authentication credentials were not provided.')
    if (parts.length !== 2 || !parts[1]) throw new AuthenticationError('authentication_failed', 'Authorization header must contain two space-delimited values')
    const claims = verifyToken(app, parts[1], 'access')
    const user = await findAuthUser(reads, claims.user_id)
    if (!user) throw new AuthenticationError('authentication_failed', 'User not found')
    request.user = user
  }
}
