import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Knex } from 'knex'
import { AuthenticationError } from '../errors'
import { verifyToken, type TokenClaims, type TokenType } from './jwt'

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

function blacklisted(): AuthenticationError {
  return new AuthenticationError('token_not_valid', 'Token is blacklisted')
}

/** simplejwt with its blacklist app: access/refresh pairs, rotation, and spent refresh tokens recorded in `refresh_tokens`. */
export class TokenService {
  private readonly app: FastifyInstance
  private readonly db: Knex
  private readonly accessTtl: number
  private readonly refreshTtl: number

  constructor(app: FastifyInstance, db: Knex, options: { readonly accessTtl: number; readonly refreshTtl: number }) {
    this.app = app
    this.db = db
    this.accessTtl = options.accessTtl
    this.refreshTtl = options.refreshTtl
  }

  issueAccess(userId: string): string {
    const iat = Math.floor(Date.now() / 1000)
    return this.app.jwt.sign({ token_type: 'access', user_id: userId, jti: randomUUID(), iat, exp: iat + this.accessTtl })
  }

  /** A new pair; the refresh token is recorded, in `family` (a new one for a fresh login). */
  async issuePair(userId: string, family?: string): Promise<TokenPair> {
    const iat = Math.floor(Date.now() / 1000)
    const exp = iat + this.refreshTtl
    const jti = randomUUID()
    const familyId = family ?? randomUUID()
    const refresh = this.app.jwt.sign({ token_type: 'refresh', user_id: userId, jti, fam: familyId, iat, exp })
    await this.db('refresh_tokens').insert({ jti, user_id: userId, family_id: familyId, expires_at: exp * 1000, revoked_at: null })
    return { access: this.issueAccess(userId), refresh }
  }

  verify(token: string, expected: TokenType | 'any'): TokenClaims {
    return verifyToken(this.app, token, expected)
  }

  /**
   * Marks a refresh token as spent. A token that was already spent (or never recorded) is a replay: its
   * whole family is revoked and the call throws 401 `Token is blacklisted`.
   */
  private async spend(claims: TokenClaims): Promise<string> {
    const row = (await this.db('refresh_tokens').where({ jti: claims.jti }).first()) as RefreshTokenRow | undefined
    const family = row?.family_id ?? claims.fam
    // only one caller can flip revoked_at from null, so two concurrent rotations cannot both win
    const spent = row ? await this.db('refresh_tokens').where({ jti: claims.jti }).whereNull('revoked_at').update({ revoked_at: Date.now() }) : 0
    if (spent === 0) {
      if (family !== undefined) {
        await this.db('refresh_tokens').where({ family_id: family }).whereNull('revoked_at').update({ revoked_at: Date.now() })
      }
      throw blacklisted()
    }
    return family ?? randomUUID()
  }

  /** TokenRefreshView with ROTATE_REFRESH_TOKENS and BLACKLIST_AFTER_ROTATION: the old refresh token is spent. */
  async rotate(refreshToken: string): Promise<TokenPair> {
    const claims = this.verify(refreshToken, 'refresh')
    const family = await this.spend(claims)
    return this.issuePair(claims.user_id, family)
  }

  /** Logout: spends a refresh token. */
  async blacklist(refreshToken: string): Promise<void> {
    const claims = this.verify(refreshToken, 'refresh')
    await this.spend(claims)
  }

  /** TokenVerifyView: any valid token, except a refresh token that was spent. */
  async check(token: string): Promise<void> {
    const claims = this.verify(token, 'any')
    if (claims.token_type !== 'refresh') return
    const row = (await this.db('refresh_tokens').where({ jti: claims.jti }).first()) as RefreshTokenRow | undefined
    if (!row || row.revoked_at !== null) throw blacklisted()
  }

  /** Deletes the records of expired refresh tokens; returns how many. */
  async prune(): Promise<number> {
    return this.db('refresh_tokens').where('expires_at', '<', Date.now()).delete()
  }
}

// the package's index re-exports the claim types from here
export type { TokenClaims, TokenType } from './jwt'
