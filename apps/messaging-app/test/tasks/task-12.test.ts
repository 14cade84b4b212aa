import type { TestDatabase } from '@alx/db-core/testing'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { requireRole } from '../../src/auth/role-guard'
import type { Role } from '../../src/users/repository'
import { bearer, buildTaskApp, hasMariaDb, insertUser, openDb, type Dialect } from './support'

function guard(roles: readonly Role[], user: { role: Role } | undefined): { allowed: boolean; status?: number } {
  let outcome: { allowed: boolean; status?: number } | undefined
  const request = { user: user === undefined ? null : { user_id: 'u', email: 'u@example.com', inbox_version: 0, ...user } } as unknown as FastifyRequest
  requireRole(...roles)(request, {} as FastifyReply, (error?: Error) => {
    outcome = error ? { allowed: false, status: (error as Error & { statusCode?: number }).statusCode } : { allowed: true }
  })
  if (!outcome) throw new Error('the guard did not call done()')
  return outcome
}

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openDb(dialect)
  })
  afterAll(async () => {
    await db.close()
  })

  it('lets an admin list users at GET /api/users/ and answers 403 to a guest or host', async () => {
    const app = await buildTaskApp(db)
    try {
      const admin = await insertUser(db.knex, { name: 'admin', role: 'admin' })
      const guest = await insertUser(db.knex, { name: 'guest', role: 'guest' })
      const host = await insertUser(db.knex, { name: 'host', role: 'host' })
      const list = (userId: string) => app.inject({ method: 'GET', url: '/api/users/', headers: bearer(app, userId) })
      const [asAdmin, asGuest, asHost] = await Promise.all([list(admin.user_id), list(guest.user_id), list(host.user_id)])
      expect({ admin: asAdmin.statusCode, guest: asGuest.statusCode, host: asHost.statusCode }).toEqual({ admin: 200, guest: 403, host: 403 })
      expect(asGuest.json()).toMatchObject({ code: 'permission_denied' })
      expect(asAdmin.json<{ count: number }>().count).toBe(3)
    } finally {
      await app.close()
    }
  })
}

describe('Task 12: Role guard for admin routes', () => {
  describe('requireRole', () => {
    it('calls done() for a caller with an allowed role', () => {
      expect(guard(['admin'], { role: 'admin' })).toEqual({ allowed: true })
      expect(guard(['admin', 'host'], { role: 'host' })).toEqual({ allowed: true })
    })

    it('calls done(error) with a 403 for another role or no caller', () => {
      expect({ guest: guard(['admin'], { role: 'guest' }), anonymous: guard(['admin'], undefined) }).toEqual({ guest: { allowed: false, status: 403 }, anonymous: { allowed: false, status: 403 } })
    })
  })

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
