export interface SseEvent {
  readonly id: number
  readonly type: string
  readonly data: unknown
}

/** One Server-Sent Events frame: id, event and data lines, then a blank line. */
export function formatSseEvent(event: SseEvent): string {
  // JSON.stringify escapes newlines inside strings, so the data stays on one line
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`
}

/**
 * Where a reconnecting client resumes: the Last-Event-ID header (its first value when repeated), else the
 * `last_event_id` query parameter; a number only when it is 1 to 18 digits, otherwise undefined (no replay).
 */
export function parseLastEventId(header: string | readonly string[] | undefined, query: string | undefined): number | undefined {
  const fromHeader = typeof header === 'string' ? header : header?.[0]
  const raw = fromHeader ?? query
  if (raw === undefined) return undefined
  if (!/^\d{1,18}$/.test(raw)) return undefined
  return Number(raw)
}
