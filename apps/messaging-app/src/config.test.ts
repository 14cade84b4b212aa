import type { Knex } from 'knex'
import { OWASP_ARGON2ID, resolveConfig } from './config'

const db = { knex: {} as Knex, dialect: 'sqlite' as const }
const jwtSecret = 'x'.repeat(32)

describe('Task 0: the app: health, OpenAPI schema and docs', () => {
  describe('resolveConfig', () => {
    it('fills in the defaults: 5-minute access tokens, OWASP argon2id, 5 POSTs a minute, no time window', () => {
      const config = resolveConfig({ db, jwtSecret })
      expect(config).toMatchObject({ accessTokenTtl: 300, refreshTokenTtl: 86_400, passwordHashing: OWASP_ARGON2ID, rateLimit: { max: 5, windowMs: 60_000 }, trustProxy: false, bodyLimit: 65_536 })
      expect(config.accessWindow).toBeUndefined()
    })

    it('throws a TypeError naming each bad value', () => {
      expect(() => resolveConfig({ db, jwtSecret: 'short' })).toThrow('Expected `jwtSecret` to be a string of at least 32 characters, got 5 characters.')
      expect(() => resolveConfig({ db, jwtSecret, rateLimit: { max: 0 } })).toThrow('Expected `rateLimit.max` to be a positive integer, got 0.')
      expect(() => resolveConfig({ db, jwtSecret, accessWindow: { start: '25:00', end: '06:00' } })).toThrow('Expected `accessWindow.start` to be HH:MM, got "25:00".')
      expect(() => resolveConfig({ db, jwtSecret, passwordHashing: { memoryCost: 1.5, timeCost: 2, parallelism: 1 } })).toThrow('Expected `passwordHashing.memoryCost` to be a positive integer, got 1.5.')
    })
  })
})
