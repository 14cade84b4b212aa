import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Knex } from 'knex'
import { AuthenticationError } from '../errors'
import { INVALID_TOKEN, verifyToken, type TokenClaims, type TokenType } from './jwt'

export type { TokenClaims, TokenType } from './jwt'

/** A `{ access, refresh }` pair as `POST /api/token/` returns it. */
export interface TokenPair {
  readonly access: string
  readonly refresh: string
}

interface RefreshTokenRow {
  jti: string
  user_id: string
  family_id: string
  expires_at: number | string
  revoked_at: number | string | null
}

/**
 * Issues, verifies, rotates and blacklists JWTs: HS256 only, typed access/refresh tokens, and refresh
 * tokens recorded so that a used or blacklisted one is refused (and its whole family revoked on replay).
 *
 * @example
 * const tokens = new TokenService(app, knex, { accessTtl: 300, refreshTtl: 86400 })
 * const { access, refresh } = await tokens.issuePair(userId)
 */
export class TokenService {
  readonly #app: FastifyInstance
  readonly #db: Knex
  readonly #accessTtl: number
  readonly #refreshTtl: number

  constructor(app: FastifyInstance, db: Knex, options: { readonly accessTtl: number; readonly refreshTtl: number }) {
    this.#app = app
    this.#db = db
    this.#accessTtl = options.accessTtl
    this.#refreshTtl = options.refreshTtl
  }

  #sign(claims: Omit<TokenClaims, 'iat' | 'exp'>, ttl: number): { token: string; exp: number } {
    const iat = Math.floor(Date.now() / 1000)
    const exp = iat + ttl
    return { token: this.#app.jwt.sign({ ...claims, iat, exp }), exp }
  }

  /** Signs a short-lived access token for `userId`. */
  issueAccess(userId: string): string {
    return this.#sign({ token_type: 'access', user_id: userId, jti: randomUUID() }, this.#accessTtl).token
  }

  /** Signs an access token and a recorded refresh token (a new family unless `family` is given). */
  async issuePair(userId: string, family: string = randomUUID()): Promise<TokenPair> {
    const jti = randomUUID()
    const { token, exp } = this.#sign({ token_type: 'refresh', user_id: userId, jti, fam: family }, this.#refreshTtl)
    await this.#db<RefreshTokenRow>('refresh_tokens').insert({ jti, user_id: userId, family_id: family, expires_at: exp * 1000, revoked_at: null })
    return { access: this.issueAccess(userId), refresh: token }
  }

  /** Verifies signature, algorithm, expiry and type (see `verifyToken`); anything else is a 401 `token_not_valid`. */
  verify(token: string, expected: TokenType | 'any'): TokenClaims {
    return verifyToken(this.#app, token, expected)
  }

  /** Rotates a refresh token: the old one is spent, a reused one revokes its whole family. */
  async rotate(refreshToken: string): Promise<TokenPair> {
    const claims = this.verify(refreshToken, 'refresh')
    const now = Date.now()
    // One conditional UPDATE spends the token: of two concurrent refreshes with it, exactly one wins.
    const spent = await this.#db<RefreshTokenRow>('refresh_tokens').where({ jti: claims.jti }).whereNull('revoked_at').update({ revoked_at: now })
    if (spent !== 1) {
      // A replayed refresh token means it leaked: revoke every token of that login (kept, not rolled back).
      const row = await this.#db<RefreshTokenRow>('refresh_tokens').where({ jti: claims.jti }).first()
      if (row) await this.#db<RefreshTokenRow>('refresh_tokens').where({ family_id: row.family_id }).whereNull('revoked_at').update({ revoked_at: now })
      throw new AuthenticationError('token_not_valid', 'Token is blacklisted')
    }
    const user = await this.#db('users').select('user_id').where({ user_id: claims.user_id }).first<{ user_id: string } | undefined>()
    if (!user) throw new AuthenticationError('token_not_valid', INVALID_TOKEN)
    return this.issuePair(claims.user_id, claims.fam ?? randomUUID())
  }

  /** Blacklists a refresh token (logout); blacklisting it twice is a 401 as in simplejwt. */
  async blacklist(refreshToken: string): Promise<void> {
    const claims = this.verify(refreshToken, 'refresh')
    const spent = await this.#db<RefreshTokenRow>('refresh_tokens').where({ jti: claims.jti }).whereNull('revoked_at').update({ revoked_at: Date.now() })
    if (spent !== 1) throw new AuthenticationError('token_not_valid', 'Token is blacklisted')
  }

  /** `POST /api/token/verify/`: any valid token passes, except a refresh token already spent. */
  async check(token: string): Promise<void> {
    const claims = this.verify(token, 'any')
    if (claims.token_type === 'refresh') {
      const row = await this.#db<RefreshTokenRow>('refresh_tokens').where({ jti: claims.jti }).first()
      if (!row || row.revoked_at !== null) throw new AuthenticationError('token_not_valid', 'Token is blacklisted')
    }
  }

  /** Drops refresh-token records that have expired anyway. */
  async prune(): Promise<number> {
    return this.#db<RefreshTokenRow>('refresh_tokens').where('expires_at', '<', Date.now()).delete()
  }
}
