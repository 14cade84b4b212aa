/** A user of the scenario: their id and an access token (what Postman keeps in environment variables). */
export interface ScenarioUser {
  readonly user_id: string
  readonly access: string
}

/** What the scenario saw. */
export interface ScenarioReport {
  readonly conversationId: string
  readonly sentMessageIds: readonly string[]
  readonly fetchedBodies: readonly string[]
  readonly unauthenticatedStatus: number
}

async function call(step: string, expected: number, url: string, init: { method: string; token?: string; body?: unknown }): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url, { method: init.method, headers, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) })
  const text = await res.text()
  if (res.status !== expected) throw new Error(`${step}: expected ${expected}, got ${res.status} ${text}`)
  return text === '' ? undefined : (JSON.parse(text) as unknown)
}

/**
 * The course's Postman collection as a script over HTTP: alice starts a conversation with bob, sends
 * `bodies`, bob fetches the conversation's messages, and a request without a token is refused.
 *
 * @example
 * await runScenario('http://127.0.0.1:3000', alice, bob) // { conversationId: '…', sentMessageIds: [...], fetchedBodies: ['Hello Bob', 'How are you?'], unauthenticatedStatus: 401 }
 */
export async function runScenario(baseUrl: string, alice: ScenarioUser, bob: ScenarioUser, bodies: readonly string[] = ['Hello Bob', 'How are you?']): Promise<ScenarioReport> {
  const base = baseUrl.replace(/\/+$/, '')
  const conversation = (await call('create conversation', 201, `${base}/api/conversations/`, { method: 'POST', token: alice.access, body: { participants: [bob.user_id] } })) as { conversation_id: string }
  const conversationId = conversation.conversation_id
  const messagesUrl = `${base}/api/conversations/${encodeURIComponent(conversationId)}/messages/`
  const sentMessageIds: string[] = []
  for (const message_body of bodies) {
    const sent = (await call('send message', 201, messagesUrl, { method: 'POST', token: alice.access, body: { message_body } })) as { message_id: string }
    sentMessageIds.push(sent.message_id)
  }
  const page = (await call('fetch messages', 200, messagesUrl, { method: 'GET', token: bob.access })) as { results: Array<{ message_body: string }> }
  const res = await fetch(`${base}/api/conversations/`, { headers: { accept: 'application/json' } })
  await res.text()
  if (res.status !== 401) throw new Error(`request without a token: expected 401, got ${res.status}`)
  return { conversationId, sentMessageIds, fetchedBodies: page.results.map((m) => m.message_body), unauthenticatedStatus: res.status }
}
