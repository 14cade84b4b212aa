import { ValidationError } from '../errors'
import type { MessageFilters } from './service'

export interface MessageFilterQuery {
  sender?: string
  participant?: string
  conversation?: string
  start_date?: string
  end_date?: string
  ordering?: 'sent_at' | '-sent_at'
}

const DAY_MS = 24 * 60 * 60 * 1000

// 2024-01-31, optionally followed by T or a space and HH:MM[:SS[.fff]], then optionally Z or +HH:MM / -HHMM
const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

function invalid(field: string): ValidationError {
  return new ValidationError({ [field]: ['Enter a valid date/time.'] })
}

/**
 * An ISO 8601 date or date-time as epoch ms (no offset means UTC). With `endOfDay`, a bare date means its
 * last millisecond. Anything else throws a ValidationError on `field`.
 */
export function parseIsoFilter(field: string, value: string, options: { endOfDay?: boolean } = {}): number {
  const match = ISO_PATTERN.exec(value.trim())
  if (!match) throw invalid(field)
  const [, year, month, day, hour, minute, second, fraction, offset] = match

  const y = Number(year)
  const mo = Number(month)
  const d = Number(day)
  const h = hour === undefined ? 0 : Number(hour)
  const mi = minute === undefined ? 0 : Number(minute)
  const s = second === undefined ? 0 : Number(second)
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000)
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) throw invalid(field)

  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms)
  // Date.UTC rolls 2024-02-30 over to March: such a day does not exist
  const check = new Date(utc)
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) throw invalid(field)

  if (hour === undefined) {
    // a bare date: midnight UTC, or the last millisecond of that day
    return options.endOfDay ? utc + DAY_MS - 1 : utc
  }

  let offsetMinutes = 0
  if (offset !== undefined && offset.toUpperCase() !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1
    const digits = offset.slice(1).replace(':', '')
    const offsetHours = Number(digits.slice(0, 2))
    const offsetMins = Number(digits.slice(2, 4))
    if (offsetHours > 23 || offsetMins > 59) throw invalid(field)
    offsetMinutes = sign * (offsetHours * 60 + offsetMins)
  }
  // 10:20+02:00 is 08:20 UTC
  return utc - offsetMinutes * 60 * 1000
}

/** The course's MessageFilter: ids passed through, dates parsed, ordering read. */
export function parseMessageFilters(query: MessageFilterQuery): MessageFilters {
  const startDate = query.start_date === undefined ? undefined : parseIsoFilter('start_date', query.start_date)
  const endDate = query.end_date === undefined ? undefined : parseIsoFilter('end_date', query.end_date, { endOfDay: true })
  if (startDate !== undefined && endDate !== undefined && endDate < startDate) {
    throw new ValidationError({ end_date: ['end_date must not be before start_date.'] })
  }
  return {
    sender: query.sender,
    participant: query.participant,
    conversation: query.conversation,
    startDate,
    endDate,
    order: query.ordering === '-sent_at' ? 'desc' : 'asc',
  }
}
