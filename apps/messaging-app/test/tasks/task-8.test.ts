import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestDatabase } from '@alx/db-core/testing'
import type { FastifyInstance } from 'fastify'
import { runScenario } from '../../src/client/scenario'
import { bearer, buildTaskApp, hasMariaDb, insertConversation, insertUser, openDb, type Dialect } from './support'

// The scenario is an HTTP client. It is graded against a small API double on a real socket that answers as the
// messaging API does and records every request, and against the real app on SQLite and MariaDB behind a front
// that creates the conversation from the fixtures (so grading it needs no other task's code, task 3's included).

interface Recorded {
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
  readonly body: unknown
}

interface Double {
  readonly base: string
  readonly requests: Recorded[]
  close(): Promise<void>
}

const ALICE = { user_id: '00000000-0000-4000-8000-0000000000a1', access: 'alice-access-token' }
const BOB = { user_id: '00000000-0000-4000-8000-0000000000b0', access: 'bob-access-token' }
const CONVERSATION = '00000000-0000-4000-8000-0000000000c0'

function startDouble(options: { readonly refuseConversation?: boolean; readonly openToAnonymous?: boolean } = {}): Promise<Double> {
  const requests: Recorded[] = []
  const messages: Array<{ message_id: string; message_body: string }> = []
  const server = http.createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (raw += chunk))
    req.on('end', () => {
      const body: unknown = raw === '' ? undefined : JSON.parse(raw)
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body })
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(payload))
      }
      const token = req.headers.authorization?.replace(/^Bearer /, '')
      if (token !== ALICE.access && token !== BOB.access && !(options.openToAnonymous === true)) return send(401, { detail: 'Authentication credentials were not provided.', code: 'not_authenticated' })
      const messagesUrl = `/api/conversations/${CONVERSATION}/messages/`
      if (req.method === 'POST' && req.url === '/api/conversations/') {
        if (options.refuseConversation === true) return send(400, { participants: ['A conversation needs at least two participants.'] })
        return send(201, { conversation_id: CONVERSATION, participants: [{ user_id: ALICE.user_id }, { user_id: BOB.user_id }], message_count: 0 })
      }
      if (req.method === 'POST' && req.url === messagesUrl) {
        const message = { message_id: `00000000-0000-4000-8000-00000000010${messages.length}`, message_body: (body as { message_body: string }).message_body }
        messages.push(message)
        return send(201, { ...message, conversation: CONVERSATION })
      }
      if (req.method === 'GET' && req.url === messagesUrl) return send(200, { count: messages.length, next: null, previous: null, results: messages })
      if (req.method === 'GET' && req.url === '/api/conversations/') return send(200, { count: 1, next: null, previous: null, results: [] })
      return send(404, { detail: 'Not found.', code: 'not_found' })
    })
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
}

describe('Task 8: API scenario over a real socket (the Postman collection)', () => {
  let double: Double | undefined
  afterEach(async () => {
    await double?.close()
    double = undefined
  })

  it('creates a conversation, sends the messages, fetches them and reports what it saw', async () => {
    double = await startDouble()
    const report = await runScenario(double.base, ALICE, BOB, ['Hello Bob', 'How are you?'])
    expect(report).toEqual({
      conversationId: CONVERSATION,
      sentMessageIds: ['00000000-0000-4000-8000-000000000100', '00000000-0000-4000-8000-000000000101'],
      fetchedBodies: ['Hello Bob', 'How are you?'],
      unauthenticatedStatus: 401,
    })
  })

  it('makes the requests in order, as alice then bob, with JSON bodies and bearer tokens', async () => {
    double = await startDouble()
    await runScenario(`${double.base}/`, ALICE, BOB, ['one'])
    const messagesUrl = `/api/conversations/${CONVERSATION}/messages/`
    expect(double.requests).toEqual([
      { method: 'POST', url: '/api/conversations/', authorization: `Bearer ${ALICE.access}`, body: { participants: [BOB.user_id] } },
      { method: 'POST', url: messagesUrl, authorization: `Bearer ${ALICE.access}`, body: { message_body: 'one' } },
      { method: 'GET', url: messagesUrl, authorization: `Bearer ${BOB.access}`, body: undefined },
      { method: 'GET', url: '/api/conversations/', authorization: undefined, body: undefined },
    ])
  })

  it('sends the two default messages when no bodies are given', async () => {
    double = await startDouble()
    const report = await runScenario(double.base, ALICE, BOB)
    expect(report.fetchedBodies).toEqual(['Hello Bob', 'How are you?'])
  })

  it('rejects naming the step and the status when a step answers unexpectedly, and stops there', async () => {
    double = await startDouble({ refuseConversation: true })
    await expect(runScenario(double.base, ALICE, BOB)).rejects.toThrow(/^create conversation: expected 201, got 400/)
    expect({ requestsMade: double.requests.length }).toEqual({ requestsMade: 1 })
  })

  it('rejects when a request without a token is not refused with 401', async () => {
    double = await startDouble({ openToAnonymous: true })
    await expect(runScenario(double.base, ALICE, BOB)).rejects.toThrow('request without a token: expected 401, got 200')
  })

  function suite(dialect: Dialect): void {
    let db: TestDatabase
    let app: FastifyInstance
    let front: http.Server
    let base: string
    beforeAll(async () => {
      db = await openDb(dialect)
      app = await buildTaskApp(db)
      front = http.createServer((req, res) => {
        let raw = ''
        req.setEncoding('utf8')
        req.on('data', (chunk: string) => (raw += chunk))
        req.on('end', () => {
          void (async () => {
            const authorization = req.headers.authorization
            if (req.method === 'POST' && req.url === '/api/conversations/' && authorization !== undefined) {
              const caller = (app.jwt.decode(authorization.replace(/^Bearer /, '')) as { user_id: string }).user_id
              const conversation_id = await insertConversation(db.knex, [caller, ...(JSON.parse(raw) as { participants: string[] }).participants])
              res.writeHead(201, { 'content-type': 'application/json' })
              return res.end(JSON.stringify({ conversation_id }))
            }
            const headers: Record<string, string> = { 'content-type': String(req.headers['content-type'] ?? 'application/json') }
            if (authorization !== undefined) headers.authorization = authorization
            const answer = await app.inject({ method: req.method as 'GET' | 'POST', url: req.url ?? '/', headers, ...(raw === '' ? {} : { payload: raw }) })
            res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') })
            res.end(answer.body)
          })().catch((error: unknown) => {
            res.writeHead(500)
            res.end(String(error))
          })
        })
      })
      await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
      base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      await new Promise((done) => front.close(done))
      await app.close()
      await db.close()
    })

    it('runs against the app: the messages are stored as alice, bob fetches them, no token is a 401', async () => {
      const alice = await insertUser(db.knex, { name: 'alice' })
      const bob = await insertUser(db.knex, { name: 'bob' })
      const token = (userId: string) => bearer(app, userId).authorization.replace(/^Bearer /, '')
      const report = await runScenario(base, { user_id: alice.user_id, access: token(alice.user_id) }, { user_id: bob.user_id, access: token(bob.user_id) }, ['Hello Bob', 'How are you?'])
      expect({ fetchedBodies: report.fetchedBodies, unauthenticatedStatus: report.unauthenticatedStatus }).toEqual({ fetchedBodies: ['Hello Bob', 'How are you?'], unauthenticatedStatus: 401 })
      const rows = (await db.knex('messages').select('message_id', 'sender_id', 'message_body').where({ conversation_id: report.conversationId }).orderBy('seq')) as Array<{ message_id: string; sender_id: string; message_body: string }>
      expect(rows).toEqual([
        { message_id: report.sentMessageIds[0], sender_id: alice.user_id, message_body: 'Hello Bob' },
        { message_id: report.sentMessageIds[1], sender_id: alice.user_id, message_body: 'How are you?' },
      ])
    })
  }

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
