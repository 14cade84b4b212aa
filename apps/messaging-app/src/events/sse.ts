import { createHash, randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { Type } from '@sinclair/typebox'
import type { onRequestHookHandler } from 'fastify'
import type { Knex } from 'knex'
import { AuthenticationError } from '../errors'
import { errorResponses } from '../http/schemas'
import type { App } from '../http/types'
import type { EventBus, RealtimeEvent } from './bus'
import { formatSseEvent, parseLastEventId } from './sse-format'

const REPLAY_LIMIT = 1000

interface EventRow {
  event_id: number | string
  type: RealtimeEvent['type']
  conversation_id: string
  recipients: string
  payload: string
}

function hashTicket(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex')
}

// Task 19's formatter, called only when a stream sends an event.
function frame(event: RealtimeEvent): string {
  return formatSseEvent(event)
}

/**
 * Real time over Server-Sent Events: `POST /api/events/ticket/` trades the access token for a single-use
 * ticket valid a few seconds, and `GET /api/events/?ticket=` streams `message.*` events of the caller's
 * conversations only, replaying what was missed after `Last-Event-ID`.
 *
 * @example
 * registerEventRoutes(app, { db: knex, bus, authenticate, ticketTtl: 30, heartbeatMs: 15000 })
 */
export function registerEventRoutes(app: App, deps: { readonly db: Knex; readonly bus: EventBus; readonly authenticate: onRequestHookHandler; readonly ticketTtl: number; readonly heartbeatMs: number }): void {
  const { db, bus, authenticate } = deps
  const open = new Set<ServerResponse>()

  app.addHook('preClose', (done) => {
    for (const stream of open) stream.end()
    open.clear()
    done()
  })

  app.post('/api/events/ticket/', {
    onRequest: authenticate,
    schema: {
      tags: ['events'],
      summary: 'A single-use ticket for the event stream (keeps the access token out of URLs and logs)',
      security: [{ bearerAuth: [] }],
      response: { 201: Type.Object({ ticket: Type.String(), expires_in: Type.Integer() }), ...errorResponses(401) },
    },
  }, async (request, reply) => {
    const ticket = randomBytes(32).toString('base64url')
    await db('event_tickets').insert({ ticket_hash: hashTicket(ticket), user_id: request.user.user_id, expires_at: Date.now() + deps.ticketTtl * 1000 })
    return reply.code(201).send({ ticket, expires_in: deps.ticketTtl })
  })

  app.get('/api/events/', {
    schema: {
      tags: ['events'],
      summary: 'Server-Sent Events: message.created / message.updated / message.deleted of your conversations',
      querystring: Type.Object({ ticket: Type.String({ maxLength: 4096 }), last_event_id: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })) }),
      response: { ...errorResponses(400, 401) },
    },
  }, async (request, reply) => {
    const hash = hashTicket(request.query.ticket)
    const row = (await db('event_tickets').select('user_id', 'expires_at').where({ ticket_hash: hash }).first()) as { user_id: string; expires_at: number | string } | undefined
    const spent = row ? await db('event_tickets').where({ ticket_hash: hash }).delete() : 0
    if (!row || spent !== 1 || Number(row.expires_at) < Date.now()) throw new AuthenticationError('authentication_failed', 'Invalid or expired ticket.')
    const userId = row.user_id
    const lastId = parseLastEventId(request.headers['last-event-id'], request.query.last_event_id)

    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' })
    raw.write('retry: 3000\n\n')
    open.add(raw)

    // Subscribe before reading the backlog so nothing published meanwhile is lost; an event both replayed
    // and buffered is sent once. Live events are not filtered by id: instances may publish out of order.
    const replayed = new Set<number>()
    let live = false
    const buffered: RealtimeEvent[] = []
    const unsubscribe = bus.subscribe((event) => {
      if (!event.recipients.includes(userId)) return
      if (live) raw.write(frame(event))
      else buffered.push(event)
    })
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), deps.heartbeatMs)
    heartbeat.unref()
    raw.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      open.delete(raw)
    })

    if (lastId !== undefined) {
      try {
        const rows = (await db('events').select('event_id', 'type', 'conversation_id', 'recipients', 'payload').where('event_id', '>', lastId).orderBy('event_id').limit(REPLAY_LIMIT)) as EventRow[]
        for (const r of rows) {
          const recipients = JSON.parse(r.recipients) as string[]
          if (!recipients.includes(userId)) continue
          const id = Number(r.event_id)
          replayed.add(id)
          raw.write(frame({ id, type: r.type, conversation_id: r.conversation_id, recipients, data: JSON.parse(r.payload) as unknown }))
        }
      } catch (error) {
        request.log.error({ err: error }, 'event replay failed')
      }
    }
    live = true
    for (const event of buffered) if (!replayed.has(event.id)) raw.write(frame(event))
    buffered.length = 0
  })
}
