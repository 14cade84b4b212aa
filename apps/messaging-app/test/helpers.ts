import { createHmac } from 'node:crypto'
import { createTestDb, type TestDatabase } from '@alx/db-core/testing'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp, migrate, type AppConfig } from '../src'

export const SECRET = 'test-secret-that-is-at-least-32-characters-long'
/** Cheap argon2id parameters for tests (production uses OWASP_ARGON2ID; one test checks that). */
export const FAST_HASH = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const

export interface TestContext extends AsyncDisposable {
  readonly db: TestDatabase
  readonly app: FastifyInstance
}

/** A migrated test database (one connection for SQLite, as the server uses) and an app on it. */
export async function setup(dialect: 'sqlite' | 'mysql', overrides: Partial<AppConfig> = {}): Promise<TestContext> {
  const db = await createTestDb(dialect, dialect === 'sqlite' ? { pool: { max: 1 } } : {})
  await migrate(db.knex)
  const app = await buildApp({ db, jwtSecret: SECRET, passwordHashing: FAST_HASH, rateLimit: { max: 1000 }, ...overrides })
  return {
    db,
    app,
    async [Symbol.asyncDispose]() {
      await app.close()
      await db.close()
    },
  }
}

export interface TestUser {
  readonly user_id: string
  readonly email: string
  readonly password: string
  readonly access: string
  readonly refresh: string
  readonly auth: { authorization: string }
}

let counter = 0

/** Registers a user and logs them in. */
export async function createUser(app: FastifyInstance, name = `user${(counter += 1)}`): Promise<TestUser> {
  const email = `${name}.${counter}@example.com`
  const password = 'correct horse battery'
  const reg = await app.inject({ method: 'POST', url: '/api/auth/register/', payload: { email, password, first_name: name, last_name: 'Test' } })
  if (reg.statusCode !== 201) throw new Error(`register failed: ${reg.statusCode} ${reg.body}`)
  const tok = await app.inject({ method: 'POST', url: '/api/token/', payload: { email, password } })
  const { access, refresh } = tok.json<{ access: string; refresh: string }>()
  return { user_id: reg.json<{ user_id: string }>().user_id, email, password, access, refresh, auth: { authorization: `Bearer ${access}` } }
}

/** `app.inject` as a user. */
export function as(app: FastifyInstance, user: TestUser, options: InjectOptions): Promise<LightMyRequestResponse> {
  return app.inject({ ...options, headers: { ...user.auth, ...options.headers } })
}

/** Creates a conversation of `owner` with `others`, returns its id. */
export async function createConversation(app: FastifyInstance, owner: TestUser, ...others: TestUser[]): Promise<string> {
  const res = await as(app, owner, { method: 'POST', url: '/api/conversations/', payload: { participants: others.map((o) => o.user_id) } })
  if (res.statusCode !== 201) throw new Error(`create conversation failed: ${res.statusCode} ${res.body}`)
  return res.json<{ conversation_id: string }>().conversation_id
}

/** Posts a message, returns its JSON. */
export async function sendMessage(app: FastifyInstance, user: TestUser, conversationId: string, body: string, extra: Record<string, unknown> = {}): Promise<{ message_id: string; sent_at: string }> {
  const res = await as(app, user, { method: 'POST', url: `/api/conversations/${conversationId}/messages/`, payload: { message_body: body, ...extra } })
  if (res.statusCode !== 201) throw new Error(`send failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** Signs a JWT by hand (any header, any secret) to forge tokens the app must refuse. */
export function forgeJwt(header: Record<string, unknown>, payload: Record<string, unknown>, secret = SECRET): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${b64(header)}.${b64(payload)}`
  if (header.alg === 'none') return `${unsigned}.`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

/** Parses a JWT payload without checking it. */
export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
}
