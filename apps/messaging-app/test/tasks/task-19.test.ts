import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestDatabase } from '@alx/db-core/testing'
import type { FastifyInstance } from 'fastify'
import { formatSseEvent, parseLastEventId } from '../../src/events/sse-format'
import { bearer, buildTaskApp, hasMariaDb, insertConversation, insertUser, openDb, type Dialect } from './support'

/** An SSE stream over a real socket: its raw text so far, and a wait for some text to arrive. */
interface Stream {
  readonly status: number
  text(): string
  waitFor(fragment: string, ms?: number): Promise<void>
  close(): void
}

function openStream(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let text = ''
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('error', () => undefined)
      resolve({
        status: res.statusCode ?? 0,
        text: () => text,
        async waitFor(fragment, ms = 5000) {
          const until = Date.now() + ms
          while (!text.includes(fragment)) {
            if (Date.now() > until) throw new Error(`the stream never sent ${JSON.stringify(fragment)}; it sent ${JSON.stringify(text)}`)
            await new Promise((r) => setTimeout(r, 20))
          }
        },
        close: () => request.destroy(),
      })
    })
    request.on('error', reject)
  })
}

describe('Task 19: Real-time events over SSE', () => {
  describe('formatSseEvent', () => {
    it('writes the id, event and data lines, then a blank line', () => {
      expect(formatSseEvent({ id: 7, type: 'message.created', data: { message_body: 'hi', n: 1 } })).toBe('id: 7\nevent: message.created\ndata: {"message_body":"hi","n":1}\n\n')
    })

    it('keeps the data on one line even when a string holds a newline', () => {
      const frame = formatSseEvent({ id: 8, type: 'message.updated', data: { message_body: 'two\nlines' } })
      expect(frame).toBe('id: 8\nevent: message.updated\ndata: {"message_body":"two\\nlines"}\n\n')
      expect(frame.split('\n')).toHaveLength(5)
    })
  })

  describe('parseLastEventId', () => {
    it('reads the header first, then the query parameter', () => {
      expect([parseLastEventId('41', undefined), parseLastEventId(undefined, '12'), parseLastEventId('41', '12'), parseLastEventId(['5', '6'], undefined)]).toEqual([41, 12, 41, 5])
    })

    it('is undefined when absent or not a whole number of at most 18 digits', () => {
      expect([parseLastEventId(undefined, undefined), parseLastEventId('abc', undefined), parseLastEventId('-1', undefined), parseLastEventId('1.5', undefined), parseLastEventId('1'.repeat(19), undefined)]).toEqual([undefined, undefined, undefined, undefined, undefined])
    })
  })

  function suite(dialect: Dialect): void {
    let db: TestDatabase
    let app: FastifyInstance
    let base: string
    beforeAll(async () => {
      db = await openDb(dialect)
      app = await buildTaskApp(db, { sseHeartbeatMs: 60_000 })
      await app.listen({ host: '127.0.0.1', port: 0 })
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      await app.close()
      await db.close()
    })

    async function ticket(userId: string): Promise<string> {
      const res = await app.inject({ method: 'POST', url: '/api/events/ticket/', headers: bearer(app, userId) })
      return res.json<{ ticket: string }>().ticket
    }

    it('streams a new message to a participant as an SSE frame, and resumes after Last-Event-ID', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const conversationId = await insertConversation(db.knex, [alice.user_id, bob.user_id])
      const stream = await openStream(`${base}/api/events/?ticket=${await ticket(bob.user_id)}`)
      let firstId: string | undefined
      try {
        expect({ status: stream.status }).toEqual({ status: 200 })
        await stream.waitFor('retry: 3000\n\n')
        const sent = await app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/messages/`, headers: bearer(app, alice.user_id), payload: { message_body: 'first live' } })
        expect({ status: sent.statusCode }).toEqual({ status: 201 })
        await stream.waitFor('first live')
        const frame = /id: (\d+)\nevent: message\.created\ndata: (\{.*\})\n\n/.exec(stream.text())
        expect({ frame: frame !== null }).toEqual({ frame: true })
        firstId = frame?.[1]
        expect(JSON.parse(frame?.[2] ?? '{}')).toMatchObject({ message_body: 'first live' })
      } finally {
        stream.close()
      }
      await app.inject({ method: 'POST', url: `/api/conversations/${conversationId}/messages/`, headers: bearer(app, alice.user_id), payload: { message_body: 'missed while away' } })
      const again = await openStream(`${base}/api/events/?ticket=${await ticket(bob.user_id)}`, { 'last-event-id': firstId ?? '0' })
      try {
        await again.waitFor('missed while away')
        expect({ replayedTheFirstAgain: again.text().includes('first live') }).toEqual({ replayedTheFirstAgain: false })
      } finally {
        again.close()
      }
    })
  }

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
