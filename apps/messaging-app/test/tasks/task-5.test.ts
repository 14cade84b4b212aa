import type { TestDatabase } from '@alx/db-core/testing'
import type { FastifyInstance } from 'fastify'
import { verifyToken } from '../../src/auth/jwt'
import { PasswordHasher } from '../../src/auth/password'
import { TokenService } from '../../src/auth/tokens'
import { buildTaskApp, hasMariaDb, insertUser, openDb, type Dialect } from './support'

const CHEAP = { memoryCost: 1024, timeCost: 1, parallelism: 1 }

/** The status and error code a call threw, or `{ status: 'ok' }`. */
async function outcome(call: () => Promise<unknown>): Promise<{ status: unknown; code?: unknown }> {
  try {
    await call()
    return { status: 'ok' }
  } catch (error) {
    const e = error as { statusCode?: unknown; code?: unknown }
    return { status: e.statusCode, code: e.code }
  }
}

describe('Task 5: JWT authentication', () => {
  describe('PasswordHasher', () => {
    it('hashes with argon2id (never the password itself) and verifies only the right password', async () => {
      const hasher = new PasswordHasher(CHEAP)
      const hash = await hasher.hash('correct horse battery staple')
      expect({ argon2id: hash.startsWith('$argon2id$'), containsPassword: hash.includes('correct horse') }).toEqual({ argon2id: true, containsPassword: false })
      expect([await hasher.verify(hash, 'correct horse battery staple'), await hasher.verify(hash, 'wrong password')]).toEqual([true, false])
    })

    it('salts: the same password hashes differently each time', async () => {
      const hasher = new PasswordHasher(CHEAP)
      expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'))
    })

    it('treats a malformed hash as a mismatch instead of throwing', async () => {
      expect(await new PasswordHasher(CHEAP).verify('not a hash', 'whatever')).toBe(false)
    })
  })

  function suite(dialect: Dialect): void {
    let db: TestDatabase
    let app: FastifyInstance
    let tokens: TokenService
    beforeAll(async () => {
      db = await openDb(dialect)
      app = await buildTaskApp(db)
      tokens = new TokenService(app, db.knex, { accessTtl: 300, refreshTtl: 3600 })
    })
    afterAll(async () => {
      await app.close()
      await db.close()
    })

    describe('TokenService', () => {
      it('issuePair signs an access and a refresh token of the user', async () => {
        const ada = await insertUser(db.knex, { name: 'ada' })
        const pair = await tokens.issuePair(ada.user_id)
        expect(verifyToken(app, pair.access, 'access')).toMatchObject({ token_type: 'access', user_id: ada.user_id })
        expect(verifyToken(app, pair.refresh, 'refresh')).toMatchObject({ token_type: 'refresh', user_id: ada.user_id })
      })

      it('rotate returns a new pair and spends the old refresh token', async () => {
        const ada = await insertUser(db.knex, { name: 'ada' })
        const first = await tokens.issuePair(ada.user_id)
        const second = await tokens.rotate(first.refresh)
        expect(verifyToken(app, second.refresh, 'refresh')).toMatchObject({ user_id: ada.user_id })
        expect({ newToken: second.refresh !== first.refresh }).toEqual({ newToken: true })
        expect(await outcome(() => tokens.rotate(first.refresh))).toEqual({ status: 401, code: 'token_not_valid' })
      })

      it('rotate refuses an access token', async () => {
        const ada = await insertUser(db.knex, { name: 'ada' })
        const pair = await tokens.issuePair(ada.user_id)
        expect(await outcome(() => tokens.rotate(pair.access))).toEqual({ status: 401, code: 'token_not_valid' })
      })

      it('blacklist spends a refresh token once; check then refuses it', async () => {
        const ada = await insertUser(db.knex, { name: 'ada' })
        const pair = await tokens.issuePair(ada.user_id)
        expect(await outcome(() => tokens.check(pair.refresh))).toEqual({ status: 'ok' })
        expect(await outcome(() => tokens.blacklist(pair.refresh))).toEqual({ status: 'ok' })
        expect(await outcome(() => tokens.blacklist(pair.refresh))).toEqual({ status: 401, code: 'token_not_valid' })
        expect(await outcome(() => tokens.check(pair.refresh))).toEqual({ status: 401, code: 'token_not_valid' })
        expect(await outcome(() => tokens.rotate(pair.refresh))).toEqual({ status: 401, code: 'token_not_valid' })
      })
    })

    it('registers, logs in with POST /api/token/, uses the access token, and refreshes', async () => {
      const email = `grace.${Date.now()}@example.com`
      const registered = await app.inject({ method: 'POST', url: '/api/auth/register/', payload: { email, password: 'long enough secret', first_name: 'Grace', last_name: 'Hopper' } })
      expect({ status: registered.statusCode }).toEqual({ status: 201 })
      const wrong = await app.inject({ method: 'POST', url: '/api/token/', payload: { email, password: 'not the password' } })
      expect({ status: wrong.statusCode, code: wrong.json<{ code?: string }>().code }).toEqual({ status: 401, code: 'authentication_failed' })
      const login = await app.inject({ method: 'POST', url: '/api/token/', payload: { email, password: 'long enough secret' } })
      expect({ status: login.statusCode }).toEqual({ status: 200 })
      const pair = login.json<{ access: string; refresh: string }>()
      const me = await app.inject({ method: 'GET', url: '/api/users/me/', headers: { authorization: `Bearer ${pair.access}` } })
      expect({ status: me.statusCode, email: me.json<{ email?: string }>().email }).toEqual({ status: 200, email })
      const refreshed = await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: pair.refresh } })
      expect({ status: refreshed.statusCode, keys: Object.keys(refreshed.json<object>()).sort() }).toEqual({ status: 200, keys: ['access', 'refresh'] })
      const replay = await app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: pair.refresh } })
      expect({ status: replay.statusCode }).toEqual({ status: 401 })
    })
  }

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
