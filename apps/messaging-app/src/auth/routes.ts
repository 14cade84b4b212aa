import { Type } from '@sinclair/typebox'
import { AuthenticationError } from '../errors'
import { ErrorBody, Me, errorResponses } from '../http/schemas'
import type { App } from '../http/types'
import type { UserService } from '../users/service'
import type { TokenService } from './tokens'

const TokenPairBody = Type.Object({ refresh: Type.String(), access: Type.String() })
const Empty = Type.Object({})

/**
 * Registration and simplejwt's token endpoints: obtain, refresh (rotating), verify and blacklist.
 *
 * @example
 * registerAuthRoutes(app, { users, tokens: () => tokenService })
 */
export function registerAuthRoutes(app: App, deps: { readonly users: UserService; readonly tokens: () => TokenService }): void {
  const { users, tokens } = deps

  app.post('/api/auth/register/', {
    schema: {
      tags: ['auth'],
      summary: 'Register a user (always a guest: `role` and other privileged fields are ignored)',
      body: Type.Object(
        {
          email: Type.String({ format: 'email', maxLength: 254 }),
          password: Type.String({ minLength: 8, maxLength: 128 }),
          first_name: Type.String({ minLength: 1, maxLength: 150 }),
          last_name: Type.String({ minLength: 1, maxLength: 150 }),
          phone_number: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      response: { 201: Me, ...errorResponses(400, 413, 415) },
    },
  }, async (request, reply) => reply.code(201).send(await users.register(request.body)))

  app.post('/api/token/', {
    schema: {
      tags: ['auth'],
      summary: 'Obtain an access/refresh token pair',
      body: Type.Object({ email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 200: TokenPairBody, ...errorResponses(400, 401) },
    },
  }, async (request) => {
    const userId = await users.authenticate(request.body.email, request.body.password)
    if (userId === undefined) throw new AuthenticationError('authentication_failed', 'No active account found with the given credentials')
    return tokens().issuePair(userId)
  })

  app.post('/api/token/refresh/', {
    schema: {
      tags: ['auth'],
      summary: 'Rotate a refresh token: returns a new pair; the old refresh token is spent',
      body: Type.Object({ refresh: Type.String({ maxLength: 4096 }) }, { additionalProperties: false }),
      response: { 200: TokenPairBody, ...errorResponses(400, 401) },
    },
  }, async (request) => tokens().rotate(request.body.refresh))

  app.post('/api/token/verify/', {
    schema: {
      tags: ['auth'],
      summary: 'Check a token',
      body: Type.Object({ token: Type.String({ maxLength: 4096 }) }, { additionalProperties: false }),
      response: { 200: Empty, 401: ErrorBody, 400: errorResponses(400)[400] },
    },
  }, async (request) => {
    await tokens().check(request.body.token)
    return {}
  })

  app.post('/api/token/blacklist/', {
    schema: {
      tags: ['auth'],
      summary: 'Log out: blacklist a refresh token',
      body: Type.Object({ refresh: Type.String({ maxLength: 4096 }) }, { additionalProperties: false }),
      response: { 200: Empty, ...errorResponses(400, 401) },
    },
  }, async (request) => {
    await tokens().blacklist(request.body.refresh)
    return {}
  })
}
