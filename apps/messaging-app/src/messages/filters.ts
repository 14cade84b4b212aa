import { ValidationError } from '../errors'
import type { MessageFilters } from './service'

/** The query parameters of the original's `MessageFilter` (a FilterSet), as the routes receive them. */
export interface MessageFilterQuery {
  readonly sender?: string | undefined
  readonly participant?: string | undefined
  readonly conversation?: string | undefined
  readonly start_date?: string | undefined
  readonly end_date?: string | undefined
  readonly ordering?: 'sent_at' | '-sent_at' | undefined
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * Parses an ISO 8601 date or date-time filter value to epoch ms, or throws a 400 naming `field`.
 * A bare date means midnight UTC (the day's last millisecond with `endOfDay`); a date-time without an offset is read as UTC.
 *
 * @example
 * parseIsoFilter('start_date', '2024-01-31') // 1706659200000
 */
export function parseIsoFilter(field: string, value: string, { endOfDay = false } = {}): number {
  let text = value.trim()
  let wholeDay = false
  if (ISO_DATE.test(text)) {
    wholeDay = true
    text = `${text}T00:00:00Z`
  } else if (ISO_DATE_TIME.test(text)) {
    text = text.replace(' ', 'T')
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text = `${text}Z`
  } else {
    throw new ValidationError({ [field]: ['Enter a valid date/time.'] })
  }
  const ms = Date.parse(text)
  // Date.parse rolls 2024-02-30 over to March; a round trip of the date part catches it.
  if (Number.isNaN(ms) || (wholeDay && new Date(ms).toISOString().slice(0, 10) !== value.trim())) {
    throw new ValidationError({ [field]: ['Enter a valid date/time.'] })
  }
  // A bare `end_date` covers that whole day (DRF's `lte` on midnight silently drops it).
  return wholeDay && endOfDay ? ms + 86_400_000 - 1 : ms
}

/**
 * The original's `MessageFilter`: turns the query's filters into {@link MessageFilters}. `sender`,
 * `participant` and `conversation` pass through; `start_date` is `sent_at >=` ({@link parseIsoFilter});
 * `end_date` is `sent_at <=`, a bare date covering its whole day; `ordering=-sent_at` is newest first, else
 * oldest first. A bad date, or an `end_date` before `start_date`, is a `ValidationError` (400) on that field.
 *
 * @example
 * parseMessageFilters({ start_date: '2024-01-31', ordering: '-sent_at' })
 * // { sender: undefined, participant: undefined, conversation: undefined, startDate: 1706659200000, endDate: undefined, order: 'desc' }
 */
export function parseMessageFilters(query: MessageFilterQuery): MessageFilters {
  const startDate = query.start_date === undefined ? undefined : parseIsoFilter('start_date', query.start_date)
  const endDate = query.end_date === undefined ? undefined : parseIsoFilter('end_date', query.end_date, { endOfDay: true })
  if (startDate !== undefined && endDate !== undefined && endDate < startDate) throw new ValidationError({ end_date: ['Must not be before start_date.'] })
  return { sender: query.sender, participant: query.participant, conversation: query.conversation, startDate, endDate, order: query.ordering === '-sent_at' ? 'desc' : 'asc' }
}
