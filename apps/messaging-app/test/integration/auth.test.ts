import argon2 from 'argon2'
import { testDialects } from '@alx/db-core/testing'
import { OWASP_ARGON2ID, PasswordHasher } from '../../src'
import { as, createUser, decodeJwt, forgeJwt, setup, type TestContext } from '../helpers'

describe('Task 5: JWT authentication', () => {
  it('uses the OWASP argon2id parameters by default (19 MiB, 2 iterations, parallelism 1)', async () => {
    expect(OWASP_ARGON2ID).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 })
    const hasher = new PasswordHasher()
    const hash = await hasher.hash('correct horse battery')
    const params = Object.fromEntries((hash.split('$')[3] ?? '').split(',').map((kv) => kv.split('=') as [string, string]))
    expect(hash.startsWith('$argon2id$v=19$')).toBe(true)
    expect(params).toEqual({ m: '19456', t: '2', p: '1' })
    await expect(hasher.verify(hash, 'correct horse battery')).resolves.toBe(true)
    await expect(hasher.verify(hash, 'wrong')).resolves.toBe(false)
    await expect(argon2.verify(hash, 'correct horse battery')).resolves.toBe(true)
  })

  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext
    beforeAll(async () => {
      ctx = await setup(dialect)
    })
    afterAll(async () => {
      await ctx[Symbol.asyncDispose]()
    })

    it('registers a guest and ignores role and other privileged fields in the body', async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/register/',
        payload: { email: 'Mallory@Example.com', password: 'long enough pw', first_name: 'Mal', last_name: 'Lory', role: 'admin', user_id: '00000000-0000-4000-8000-000000000000', created_at: '2000-01-01T00:00:00Z' },
      })
      expect(res.statusCode).toBe(201)
      const body = res.json<Record<string, unknown>>()
      expect(body.role).toBe('guest')
      expect(body.email).toBe('mallory@example.com')
      expect(body.user_id).not.toBe('00000000-0000-4000-8000-000000000000')
      expect(body).not.toHaveProperty('password')
      expect(body).not.toHaveProperty('password_hash')
      const row = (await ctx.db.knex('users').where({ email: 'mallory@example.com' }).first()) as { role: string; password_hash: string }
      expect(row.role).toBe('guest')
      expect(row.password_hash).toMatch(/^\$argon2id\$/)
    })

    it('refuses a duplicate email and short passwords with DRF field errors', async () => {
      const user = await createUser(ctx.app)
      const dup = await ctx.app.inject({ method: 'POST', url: '/api/auth/register/', payload: { email: user.email, password: 'another long one', first_name: 'X', last_name: 'Y' } })
      expect(dup.statusCode).toBe(400)
      expect(dup.json()).toEqual({ email: ['user with this email already exists.'] })
      const short = await ctx.app.inject({ method: 'POST', url: '/api/auth/register/', payload: { email: 'short@example.com', password: 'x', first_name: 'X' } })
      expect(short.statusCode).toBe(400)
      expect(short.json()).toEqual({ password: ['Ensure this field has at least 8 characters.'], last_name: ['This field is required.'] })
    })

    it('logs in with POST /api/token/ and returns {access, refresh} of the right types', async () => {
      const user = await createUser(ctx.app)
      expect(decodeJwt(user.access)).toMatchObject({ token_type: 'access', user_id: user.user_id })
      expect(decodeJwt(user.refresh)).toMatchObject({ token_type: 'refresh', user_id: user.user_id })
      const header = JSON.parse(Buffer.from(user.access.split('.')[0] ?? '', 'base64url').toString()) as { alg: string }
      expect(header.alg).toBe('HS256')
      const claims = decodeJwt(user.access) as { iat: number; exp: number }
      expect(claims.exp - claims.iat).toBe(300)
      const me = await as(ctx.app, user, { method: 'GET', url: '/api/users/me/' })
      expect(me.statusCode).toBe(200)
      expect(me.json()).toMatchObject({ user_id: user.user_id, email: user.email, role: 'guest' })
    })

    it('refuses bad credentials with 401 and the same answer for unknown emails', async () => {
      const user = await createUser(ctx.app)
      const wrong = await ctx.app.inject({ method: 'POST', url: '/api/token/', payload: { email: user.email, password: 'not the password' } })
      const unknown = await ctx.app.inject({ method: 'POST', url: '/api/token/', payload: { email: 'nobody@example.com', password: 'whatever pw' } })
      expect(wrong.statusCode).toBe(401)
      expect(unknown.statusCode).toBe(401)
      expect(wrong.json()).toEqual(unknown.json())
      expect(wrong.json<{ detail: string }>().detail).toBe('No active account found with the given credentials')
    })

    it('answers 401 with WWW-Authenticate: Bearer without a token', async () => {
      const res = await ctx.app.inject({ method: 'GET', url: '/api/conversations/' })
      expect(res.statusCode).toBe(401)
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/)
      expect(res.json()).toEqual({ detail: 'Authentication credentials were not provided.', code: 'not_authenticated' })
    })

    it('refuses expired, tampered, alg:none, wrong-secret and wrong-type tokens', async () => {
      const user = await createUser(ctx.app)
      const now = Math.floor(Date.now() / 1000)
      const base = { token_type: 'access', user_id: user.user_id, jti: 'x' }
      const [h, p] = user.access.split('.')
      const tamperedPayload = Buffer.from(JSON.stringify({ ...decodeJwt(user.access), user_id: '00000000-0000-4000-8000-000000000000' })).toString('base64url')
      const bad = {
        expired: forgeJwt({ alg: 'HS256', typ: 'JWT' }, { ...base, iat: now - 600, exp: now - 300 }),
        tampered: `${h}.${tamperedPayload}.${user.access.split('.')[2]}`,
        algNone: forgeJwt({ alg: 'none', typ: 'JWT' }, { ...base, iat: now, exp: now + 300 }),
        wrongSecret: forgeJwt({ alg: 'HS256', typ: 'JWT' }, { ...base, iat: now, exp: now + 300 }, 'another-secret-of-more-than-32-characters!'),
        hs512: forgeJwt({ alg: 'HS512', typ: 'JWT' }, { ...base, iat: now, exp: now + 300 }),
        refreshAsAccess: user.refresh,
        garbage: 'not.a.jwt',
        truncated: `${h}.${p}`,
      }
      for (const [name, token] of Object.entries(bad)) {
        const res = await ctx.app.inject({ method: 'GET', url: '/api/users/me/', headers: { authorization: `Bearer ${token}` } })
        expect({ name, status: res.statusCode }).toEqual({ name, status: 401 })
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/)
        expect(res.json<{ code: string }>().code).toBe('token_not_valid')
      }
      // A correctly signed token of the right type is accepted: the failures above are the token's fault.
      const good = forgeJwt({ alg: 'HS256', typ: 'JWT' }, { ...base, iat: now, exp: now + 300 })
      expect((await ctx.app.inject({ method: 'GET', url: '/api/users/me/', headers: { authorization: `Bearer ${good}` } })).statusCode).toBe(200)
    })

    it('never accepts an access token where a refresh token is expected', async () => {
      const user = await createUser(ctx.app)
      const res = await ctx.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: user.access } })
      expect(res.statusCode).toBe(401)
      expect(res.json<{ code: string }>().code).toBe('token_not_valid')
    })

    it('rotates refresh tokens and refuses a reused one, revoking its whole family', async () => {
      const user = await createUser(ctx.app)
      const first = await ctx.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: user.refresh } })
      expect(first.statusCode).toBe(200)
      const pair = first.json<{ access: string; refresh: string }>()
      expect(pair.refresh).not.toBe(user.refresh)
      expect(decodeJwt(pair.access).token_type).toBe('access')

      const replay = await ctx.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: user.refresh } })
      expect(replay.statusCode).toBe(401)
      expect(replay.json()).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' })
      // The replay revoked the family: the rotated token is dead too.
      const afterReplay = await ctx.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: pair.refresh } })
      expect(afterReplay.statusCode).toBe(401)
    })

    it('verifies tokens and blacklists a refresh token on logout', async () => {
      const user = await createUser(ctx.app)
      expect((await ctx.app.inject({ method: 'POST', url: '/api/token/verify/', payload: { token: user.access } })).json()).toEqual({})
      expect((await ctx.app.inject({ method: 'POST', url: '/api/token/verify/', payload: { token: `${user.access}x` } })).statusCode).toBe(401)
      const out = await ctx.app.inject({ method: 'POST', url: '/api/token/blacklist/', payload: { refresh: user.refresh } })
      expect(out.statusCode).toBe(200)
      expect((await ctx.app.inject({ method: 'POST', url: '/api/token/refresh/', payload: { refresh: user.refresh } })).statusCode).toBe(401)
      expect((await ctx.app.inject({ method: 'POST', url: '/api/token/verify/', payload: { token: user.refresh } })).statusCode).toBe(401)
      expect((await ctx.app.inject({ method: 'POST', url: '/api/token/blacklist/', payload: { refresh: user.refresh } })).statusCode).toBe(401)
    })

    it("stops accepting a deleted user's access token", async () => {
      const user = await createUser(ctx.app)
      expect((await as(ctx.app, user, { method: 'DELETE', url: '/api/users/me/' })).statusCode).toBe(204)
      const res = await as(ctx.app, user, { method: 'GET', url: '/api/users/me/' })
      expect(res.statusCode).toBe(401)
    })
  })
})
