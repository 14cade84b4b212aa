import type { FastifyInstance } from 'fastify'
import { AuthenticationError } from '../errors'

/** The two kinds of JWT the API issues; one is never accepted where the other is expected. */
export type TokenType = 'access' | 'refresh'

/** The claims of every token we sign (simplejwt's names: `token_type`, `user_id`). */
export interface TokenClaims {
  readonly token_type: TokenType
  readonly user_id: string
  readonly jti: string
  /** Refresh-token family: every rotation of one login shares it, so a replay can revoke them all. */
  readonly fam?: string
  readonly iat: number
  readonly exp: number
}

/** simplejwt's message for any token it refuses. */
export const INVALID_TOKEN = 'Given token not valid for any token type'

/**
 * Verifies a JWT signed with the app's secret (`app.jwt`, HS256 only): signature, algorithm, expiry and
 * type; anything else is a 401 `token_not_valid`. The bearer check of every protected route uses it (it
 * plays simplejwt's `JWTAuthentication`, which the course configures rather than writes).
 *
 * @example
 * const claims = verifyToken(app, token, 'access') // { token_type: 'access', user_id, jti, iat, exp }
 */
export function verifyToken(app: FastifyInstance, token: string, expected: TokenType | 'any'): TokenClaims {
  let claims: TokenClaims
  try {
    claims = app.jwt.verify<TokenClaims>(token)
  } catch (error) {
    throw new AuthenticationError('token_not_valid', INVALID_TOKEN, { cause: error })
  }
  const typeOk = claims.token_type === 'access' || claims.token_type === 'refresh'
  if (!typeOk || (expected !== 'any' && claims.token_type !== expected) || typeof claims.user_id !== 'string' || typeof claims.jti !== 'string') {
    throw new AuthenticationError('token_not_valid', INVALID_TOKEN)
  }
  return claims
}
