import { Type } from '@sinclair/typebox'
import type { onRequestHookHandler } from 'fastify'
import { buildPage, parsePageRequest } from '../http/pagination'
import { Conversation, Page, PageQuery, Uuid, errorResponses } from '../http/schemas'
import type { App } from '../http/types'
import { MAX_PARTICIPANTS, type ConversationService } from './service'

const Params = Type.Object({ id: Uuid })
const Participants = Type.Array(Uuid, { minItems: 1, maxItems: MAX_PARTICIPANTS })

/**
 * `GET/POST /api/conversations/` and `GET/PATCH/DELETE /api/conversations/{id}/`: only the caller's
 * conversations exist for them (404 otherwise).
 *
 * @example
 * registerConversationRoutes(app, { conversations, authenticate })
 */
export function registerConversationRoutes(app: App, deps: { readonly conversations: ConversationService; readonly authenticate: onRequestHookHandler }): void {
  const { conversations, authenticate } = deps
  const security = [{ bearerAuth: [] }]

  app.get('/api/conversations/', {
    onRequest: authenticate,
    schema: { tags: ['conversations'], summary: "The caller's conversations, newest first", security, querystring: PageQuery, response: { 200: Page(Conversation), ...errorResponses(401, 404) } },
  }, async (request) => {
    const page = parsePageRequest(request.query)
    const { count, results } = await conversations.list(request.user, { offset: page.offset, limit: page.pageSize })
    return buildPage(request, page, count, results)
  })

  app.post('/api/conversations/', {
    onRequest: authenticate,
    schema: {
      tags: ['conversations'],
      summary: 'Start a conversation with other users (the caller is always a participant)',
      security,
      body: Type.Object({ participants: Participants }, { additionalProperties: false }),
      response: { 201: Conversation, ...errorResponses(400, 401, 413, 415) },
    },
  }, async (request, reply) => reply.code(201).send(await conversations.create(request.user, request.body.participants)))

  app.get('/api/conversations/:id/', {
    onRequest: authenticate,
    schema: { tags: ['conversations'], summary: 'One conversation', security, params: Params, response: { 200: Conversation, ...errorResponses(401, 404) } },
  }, async (request) => conversations.get(request.user, request.params.id))

  app.patch('/api/conversations/:id/', {
    onRequest: authenticate,
    schema: {
      tags: ['conversations'],
      summary: 'Replace the participants (the caller stays in)',
      security,
      params: Params,
      body: Type.Object({ participants: Type.Optional(Participants) }, { additionalProperties: false }),
      response: { 200: Conversation, ...errorResponses(400, 401, 404) },
    },
  }, async (request) => conversations.update(request.user, request.params.id, request.body.participants))

  app.delete('/api/conversations/:id/', {
    onRequest: authenticate,
    schema: { tags: ['conversations'], summary: 'Delete a conversation and its messages', security, params: Params, response: { 204: Type.Null(), ...errorResponses(401, 404) } },
  }, async (request, reply) => {
    await conversations.delete(request.user, request.params.id)
    return reply.code(204).send(null)
  })
}
