import { Type } from '@sinclair/typebox'
import type { Knex } from 'knex'
import { requireRole } from '../auth/role-guard'
import { buildPage, parsePageRequest } from '../http/pagination'
import { Me, Page, PageQuery, Uuid, errorResponses } from '../http/schemas'
import { toIso } from '../http/time'
import type { App } from '../http/types'
import type { UserService } from './service'
import type { preHandlerHookHandler, onRequestHookHandler } from 'fastify'

const Notification = Type.Object({
  notification_id: Uuid,
  message: Uuid,
  conversation: Uuid,
  is_read: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
})

interface NotificationRow {
  notification_id: string
  message_id: string
  conversation_id: string
  is_read: number | boolean
  created_at: number | string
}

/**
 * `/api/users/me/` (read, delete self), admin-only user management behind the role guard, and the
 * caller's notifications.
 *
 * @example
 * registerUserRoutes(app, { users, db: knex, authenticate })
 */
export function registerUserRoutes(app: App, deps: { readonly users: UserService; readonly db: Knex; readonly authenticate: onRequestHookHandler }): void {
  const { users, db, authenticate } = deps
  const security = [{ bearerAuth: [] }]
  // Task 12's guard is built on the first admin request, not at registration: building the app runs no task code.
  let guard: ReturnType<typeof requireRole> | undefined
  const adminOnly: preHandlerHookHandler = (request, reply, done) => (guard ??= requireRole('admin'))(request, reply, done)

  app.get('/api/users/me/', {
    onRequest: authenticate,
    schema: { tags: ['users'], summary: 'The caller', security, response: { 200: Me, ...errorResponses(401) } },
  }, async (request) => users.me(request.user.user_id))

  app.delete('/api/users/me/', {
    onRequest: authenticate,
    schema: { tags: ['users'], summary: 'Delete the caller with their messages, notifications and histories', security, response: { 204: Type.Null(), ...errorResponses(401) } },
  }, async (request, reply) => {
    await users.delete(request.user.user_id)
    return reply.code(204).send(null)
  })

  app.get('/api/users/', {
    onRequest: authenticate,
    preHandler: adminOnly,
    schema: { tags: ['users'], summary: 'All users (admins only)', security, querystring: PageQuery, response: { 200: Page(Me), ...errorResponses(401, 403, 404) } },
  }, async (request) => {
    const page = parsePageRequest(request.query)
    const { count, results } = await users.list({ offset: page.offset, limit: page.pageSize })
    return buildPage(request, page, count, results)
  })

  app.delete('/api/users/:id/', {
    onRequest: authenticate,
    preHandler: adminOnly,
    schema: { tags: ['users'], summary: 'Delete a user (admins only)', security, params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
  }, async (request, reply) => {
    await users.delete(request.params.id)
    return reply.code(204).send(null)
  })

  app.get('/api/notifications/', {
    onRequest: authenticate,
    schema: {
      tags: ['notifications'],
      summary: "The caller's notifications, newest first",
      security,
      querystring: Type.Object({ ...PageQuery.properties, unread: Type.Optional(Type.Boolean()) }),
      response: { 200: Page(Notification), ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const page = parsePageRequest(request.query)
    const base = () => {
      const q = db('notifications').where('user_id', request.user.user_id)
      if (request.query.unread === true) void q.andWhere('is_read', false)
      return q
    }
    const [countRow, rows] = await Promise.all([
      base().count({ n: '*' }).first() as Promise<{ n: number | string }>,
      base().select('notification_id', 'message_id', 'conversation_id', 'is_read', 'created_at').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'notification_id', order: 'desc' }]).offset(page.offset).limit(page.pageSize) as Promise<NotificationRow[]>,
    ])
    return buildPage(request, page, Number(countRow.n), rows.map((r) => ({ notification_id: r.notification_id, message: r.message_id, conversation: r.conversation_id, is_read: Boolean(r.is_read), created_at: toIso(r.created_at) })))
  })
}
