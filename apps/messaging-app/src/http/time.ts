import { ValidationError } from '../errors'

/** Epoch milliseconds to the ISO 8601 string the API shows. */
export function toIso(epochMs: number | string): string {
  return new Date(Number(epochMs)).toISOString()
}

/** Like {@link toIso} for nullable columns. */
export function toIsoOrNull(epochMs: number | string | null | undefined): string | null {
  return epochMs === null || epochMs === undefined ? null : toIso(epochMs)
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
