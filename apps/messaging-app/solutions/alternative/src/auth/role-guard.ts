import type { FastifyReply, FastifyRequest } from 'fastify'
import { PermissionDeniedError } from '../errors'
import type { AuthUser, Role } from '../users/repository'

export type RoleGuard = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void

/** A hook that lets through only callers with one of `roles`; others (and anonymous callers) get a 403. */
export function requireRole(...roles: readonly Role[]): RoleGuard {
  return function roleGuard(request, _reply, done) {
    const user = request.user as AuthUser | null | undefined
    if (user && roles.includes(user.role)) {
      done()
      return
    }
    done(new PermissionDeniedError())
  }
}
