import { Type } from '@sinclair/typebox'
import type { FastifyRequest, onRequestHookHandler } from 'fastify'
import { ValidationError } from '../errors'
import { MAX_PAGE_SIZE, PAGE_SIZE, absoluteUrl, buildPage, parsePageRequest, type PageBody } from '../http/pagination'
import { Message, Nullable, Page, PageQuery, ThreadNode, Uuid, errorResponses } from '../http/schemas'
import { toIso } from '../http/time'
import type { App } from '../http/types'
import { reverse } from '../http/urls'
import { parseMessageFilters, type MessageFilterQuery } from './filters'
import { MAX_MESSAGE_LENGTH, type MessageFilters, type MessageService } from './service'

const ConversationParams = Type.Object({ id: Uuid })
const MessageParams = Type.Object({ id: Uuid, mid: Uuid })
const Body = Type.String({ maxLength: MAX_MESSAGE_LENGTH })

const FilterQuery = {
  ...PageQuery.properties,
  sender: Type.Optional(Uuid),
  participant: Type.Optional(Uuid),
  start_date: Type.Optional(Type.String({ maxLength: 40 })),
  end_date: Type.Optional(Type.String({ maxLength: 40 })),
  ordering: Type.Optional(Type.Union([Type.Literal('sent_at'), Type.Literal('-sent_at')])),
}
const NestedQuery = Type.Object({
  ...FilterQuery,
  before: Type.Optional(Uuid),
  after: Type.Optional(Uuid),
  limit: Type.Optional(Type.String({ maxLength: 9 })),
})
const FlatQuery = Type.Object({ ...FilterQuery, conversation: Type.Optional(Uuid) })

const HistoryEntry = Type.Object({ history_id: Uuid, old_body: Type.String(), edited_by: Nullable(Uuid), edited_at: Type.String({ format: 'date-time' }) })
const ReadState = Type.Object({ conversation_id: Uuid, unread_count: Type.Integer() })
const UnreadMessage = Type.Object({ message_id: Uuid, conversation: Uuid, sender: Message.properties.sender, message_body: Type.String(), sent_at: Type.String({ format: 'date-time' }) })

const FILTER_KEYS = ['sender', 'participant', 'conversation', 'start_date', 'end_date', 'ordering'] as const

// Task 7's parser runs only when the query has a filter: an unfiltered list never runs task code.
function parseFilters(query: MessageFilterQuery): MessageFilters {
  return FILTER_KEYS.some((key) => query[key] !== undefined) ? parseMessageFilters(query) : {}
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return PAGE_SIZE
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new ValidationError({ limit: ['A valid positive integer is required.'] })
  return Math.min(Number(value), MAX_PAGE_SIZE)
}

function cursorPage(request: FastifyRequest, window: { results: Message[]; hasOlder: boolean; hasNewer: boolean }, mode: 'before' | 'after', cursor: string) {
  const first = window.results[0]
  const last = window.results.at(-1)
  const links = { page: null, page_size: null }
  return {
    // `next` is newer, `previous` is older: following either never repeats or skips a message.
    next: mode === 'after' ? absoluteUrl(request, { ...links, before: null, after: last?.message_id ?? cursor }) : last ? absoluteUrl(request, { ...links, before: null, after: last.message_id }) : null,
    previous: window.hasOlder && first ? absoluteUrl(request, { ...links, after: null, before: first.message_id }) : null,
    results: window.results,
  }
}

/**
 * Messages nested under conversations, the flat `/api/messages/` of the original, threads, edit history,
 * read state and the unread list. The message POST routes are rate limited per client IP.
 *
 * @example
 * registerMessageRoutes(app, { messages, authenticate, rateLimit: { max: 5, timeWindow: 60_000 } })
 */
export function registerMessageRoutes(app: App, deps: { readonly messages: MessageService; readonly authenticate: onRequestHookHandler; readonly rateLimit: { readonly max: number; readonly timeWindow: number } }): void {
  const { messages, authenticate } = deps
  const security = [{ bearerAuth: [] }]
  const rateLimit = { max: deps.rateLimit.max, timeWindow: deps.rateLimit.timeWindow }

  app.get('/api/conversations/:id/messages/', {
    onRequest: authenticate,
    schema: {
      tags: ['messages'],
      summary: 'Messages of a conversation: DRF pages (`?page=`), or keyset history with `?before=<message_id>` / `?after=<message_id>` and `limit`',
      security,
      params: ConversationParams,
      querystring: NestedQuery,
      // Page mode is DRF's page; cursor mode ({next, previous, results}, no count) is sent with its own serializer.
      response: { 200: Page(Message), ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    const { query } = request
    const filters = parseFilters(query)
    if (query.before !== undefined || query.after !== undefined) {
      if (query.before !== undefined && query.after !== undefined) throw new ValidationError({ before: ['Use either before or after, not both.'] })
      const limit = parseLimit(query.limit)
      const cursor = { before: query.before, after: query.after }
      const window = await messages.window(request.user, request.params.id, cursor, limit, { ...filters, order: 'asc' })
      const body = cursorPage(request, window, query.before !== undefined ? 'before' : 'after', (query.before ?? query.after) as string)
      // Built field by field from mapped rows, so plain JSON.stringify leaks nothing the schema would drop.
      // (The cast only satisfies the route's page-mode reply type; this body has no `count`, by design.)
      return reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send(body as PageBody<Message>)
    }
    const page = parsePageRequest(query)
    const { count, results } = await messages.list(request.user, request.params.id, filters, { offset: page.offset, limit: page.pageSize })
    return buildPage(request, page, count, results)
  })

  app.post('/api/conversations/:id/messages/', {
    onRequest: authenticate,
    config: { rateLimit },
    schema: {
      tags: ['messages'],
      summary: 'Send a message (sender and sent_at are set by the server)',
      security,
      params: ConversationParams,
      body: Type.Object({ message_body: Body, parent_message: Type.Optional(Nullable(Uuid)) }, { additionalProperties: false }),
      response: { 201: Message, ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
    },
  }, async (request, reply) => reply.code(201).send(await messages.send(request.user, request.params.id, request.body)))

  app.get('/api/conversations/:id/messages/:mid/', {
    onRequest: authenticate,
    schema: { tags: ['messages'], summary: 'One message', security, params: MessageParams, response: { 200: Message, ...errorResponses(401, 404) } },
  }, async (request) => messages.get(request.user, request.params.id, request.params.mid))

  app.patch('/api/conversations/:id/messages/:mid/', {
    onRequest: authenticate,
    schema: {
      tags: ['messages'],
      summary: 'Edit your own message (the old body is kept in its history)',
      security,
      params: MessageParams,
      body: Type.Object({ message_body: Type.Optional(Body) }, { additionalProperties: false }),
      response: { 200: Message, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => messages.edit(request.user, request.params.id, request.params.mid, request.body))

  app.delete('/api/conversations/:id/messages/:mid/', {
    onRequest: authenticate,
    schema: { tags: ['messages'], summary: 'Delete your own message', security, params: MessageParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
  }, async (request, reply) => {
    await messages.delete(request.user, request.params.id, request.params.mid)
    return reply.code(204).send(null)
  })

  app.get('/api/conversations/:id/messages/:mid/thread/', {
    onRequest: authenticate,
    schema: { tags: ['messages'], summary: 'A message with its replies as a tree', security, params: MessageParams, response: { 200: ThreadNode, ...errorResponses(401, 404) } },
  }, async (request) => messages.thread(request.user, request.params.id, request.params.mid))

  app.get('/api/conversations/:id/messages/:mid/history/', {
    onRequest: authenticate,
    schema: { tags: ['messages'], summary: 'Past bodies of an edited message, oldest first', security, params: MessageParams, response: { 200: Type.Array(HistoryEntry), ...errorResponses(401, 404) } },
  }, async (request) => (await messages.history(request.user, request.params.id, request.params.mid)).map((h) => ({ ...h, edited_at: toIso(h.edited_at) })))

  app.post('/api/conversations/:id/read/', {
    onRequest: authenticate,
    // The body is optional: no body means "read everything".
    preValidation: (request, _reply, done) => {
      request.body ??= {}
      done()
    },
    schema: {
      tags: ['messages'],
      summary: 'Mark the conversation read, up to `up_to` (a message id) or entirely',
      security,
      params: ConversationParams,
      body: Type.Object({ up_to: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: ReadState, ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const state = await messages.markRead(request.user, request.params.id, request.body.up_to)
    return { conversation_id: request.params.id, unread_count: state.unread_count }
  })

  app.get('/api/messages/', {
    onRequest: authenticate,
    schema: {
      tags: ['messages'],
      summary: "Messages of all the caller's conversations (filters: conversation, sender, participant, start_date, end_date)",
      security,
      querystring: FlatQuery,
      response: { 200: Page(Message), ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const page = parsePageRequest(request.query)
    const { count, results } = await messages.listAll(request.user, parseFilters(request.query), { offset: page.offset, limit: page.pageSize })
    return buildPage(request, page, count, results)
  })

  app.post('/api/messages/', {
    onRequest: authenticate,
    config: { rateLimit },
    schema: {
      tags: ['messages'],
      summary: 'Send a message to a conversation named in the body (Location: its nested URL)',
      security,
      body: Type.Object({ conversation: Uuid, message_body: Body, parent_message: Type.Optional(Nullable(Uuid)) }, { additionalProperties: false }),
      response: { 201: Message, ...errorResponses(400, 401, 403, 413, 415, 429) },
    },
  }, async (request, reply) => {
    const message = await messages.send(request.user, request.body.conversation, request.body, { flat: true })
    // Task 4's reverse(), called only here: the created message's canonical (nested) URL.
    return reply.code(201).header('location', reverse('conversation-messages-detail', { conversationId: message.conversation, messageId: message.message_id })).send(message)
  })

  app.get('/api/messages/unread/', {
    onRequest: authenticate,
    schema: { tags: ['messages'], summary: "The caller's unread messages (only the fields a list needs)", security, querystring: PageQuery, response: { 200: Page(UnreadMessage), ...errorResponses(401, 404) } },
  }, async (request) => {
    const page = parsePageRequest(request.query)
    const { count, results } = await messages.unread(request.user, { offset: page.offset, limit: page.pageSize })
    return buildPage(request, page, count, results)
  })
}
