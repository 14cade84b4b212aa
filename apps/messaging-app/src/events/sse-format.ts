/** What an SSE frame carries: the outbox id, the event type and its JSON data. */
export interface SseEvent {
  readonly id: number
  readonly type: string
  readonly data: unknown
}

/**
 * One Server-Sent Events frame: `id`, `event` and `data` (the data as one line of JSON) lines, then a blank line.
 *
 * @example
 * formatSseEvent({ id: 7, type: 'message.created', data: { a: 1 } }) // 'id: 7\nevent: message.created\ndata: {"a":1}\n\n'
 */
export function formatSseEvent(event: SseEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`
}

/**
 * Where a reconnecting client resumes: the `Last-Event-ID` header (its first value), else the `last_event_id`
 * query parameter; a whole number of 1-18 digits, otherwise `undefined` (no replay).
 *
 * @example
 * parseLastEventId('41', undefined) // 41
 * parseLastEventId(undefined, 'abc') // undefined
 */
export function parseLastEventId(header: string | readonly string[] | undefined, query: string | undefined): number | undefined {
  const text = (typeof header === 'string' ? header : header?.[0]) ?? query
  return text !== undefined && /^\d{1,18}$/.test(text) ? Number(text) : undefined
}
