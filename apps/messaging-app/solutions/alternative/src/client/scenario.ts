export interface ScenarioUser {
  readonly user_id: string
  readonly access: string
}

export interface ScenarioReport {
  readonly conversationId: string
  readonly sentMessageIds: readonly string[]
  readonly fetchedBodies: readonly string[]
  readonly unauthenticatedStatus: number
}

interface Answer {
  readonly status: number
  readonly text: string
}

/** One request of the collection: JSON body when given, bearer token when a user is given. */
async function call(baseUrl: string, method: 'GET' | 'POST', path: string, user?: ScenarioUser, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (user) headers.authorization = `Bearer ${user.access}`
  const init: RequestInit = { method, headers }
  if (body !== undefined) {
    headers['content-type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  const response = await fetch(`${baseUrl}${path}`, init)
  return { status: response.status, text: await response.text() }
}

/** Stops the scenario when a step did not answer the status it expects. */
function expectStatus(step: string, expected: number, answer: Answer): void {
  if (answer.status !== expected) {
    throw new Error(`${step}: expected ${expected}, got ${answer.status} ${answer.text}`)
  }
}

/** The course's Postman collection as a script: a conversation, messages, reading them as bob, and a 401. */
export async function runScenario(baseUrl: string, alice: ScenarioUser, bob: ScenarioUser, bodies: readonly string[] = ['Hello Bob', 'How are you?']): Promise<ScenarioReport> {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl

  // 1. alice starts a conversation with bob
  const created = await call(base, 'POST', '/api/conversations/', alice, { participants: [bob.user_id] })
  expectStatus('create conversation', 201, created)
  const conversationId = (JSON.parse(created.text) as { conversation_id: string }).conversation_id
  const messagesPath = `/api/conversations/${conversationId}/messages/`

  // 2. alice sends the messages, one after the other
  const sentMessageIds: string[] = []
  for (const messageBody of bodies) {
    const sent = await call(base, 'POST', messagesPath, alice, { message_body: messageBody })
    expectStatus('send message', 201, sent)
    sentMessageIds.push((JSON.parse(sent.text) as { message_id: string }).message_id)
  }

  // 3. bob reads them
  const fetched = await call(base, 'GET', messagesPath, bob)
  expectStatus('fetch messages', 200, fetched)
  const page = JSON.parse(fetched.text) as { results: Array<{ message_body: string }> }
  const fetchedBodies = page.results.map((message) => message.message_body)

  // 4. no token: the API must refuse
  const anonymous = await call(base, 'GET', '/api/conversations/')
  if (anonymous.status !== 401) {
    throw new Error(`request without a token: expected 401, got ${anonymous.status}`)
  }

  return { conversationId, sentMessageIds, fetchedBodies, unauthenticatedStatus: anonymous.status }
}
