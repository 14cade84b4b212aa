import type { FastifyReply, FastifyRequest } from 'fastify'
import { PermissionDeniedError } from '../errors'
import type { Role } from '../users/repository'
import { callerOf } from './authenticate'

/** A Fastify hook in callback style, as `preHandler` accepts it. */
export type RoleGuard = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void

/**
 * The role guard of admin routes (the course's RolepermissionMiddleware): the hook it returns calls `done()`
 * when the authenticated caller (`request.user`, set by the provided bearer check) has one of `roles`, else
 * `done(new PermissionDeniedError())` (403 `permission_denied`); with no caller at all, also 403.
 *
 * @example
 * app.get('/api/users/', { onRequest: authenticate, preHandler: requireRole('admin') }, handler)
 */
export function requireRole(...roles: readonly Role[]): RoleGuard {
  return function roleGuard(request, _reply, done) {
    const caller = callerOf(request)
    if (!caller || !roles.includes(caller.role)) done(new PermissionDeniedError())
    else done()
  }
}
