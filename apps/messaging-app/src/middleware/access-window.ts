import type { AccessWindow } from '../config'

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/**
 * True when `at` falls inside the window (start inclusive, end exclusive; wraps past midnight when
 * `end < start`), read in the window's time zone.
 *
 * @example
 * isWithinWindow({ start: '18:00', end: '21:00' }, new Date('2024-01-01T19:30:00Z')) // true
 */
export function isWithinWindow(window: AccessWindow, at: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: window.timeZone ?? 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at)
  const hour = Number(parts.find((p) => p.type === 'hour')?.value)
  const minute = Number(parts.find((p) => p.type === 'minute')?.value)
  const now = hour * 60 + minute
  const start = minutes(window.start)
  const end = minutes(window.end)
  return start <= end ? now >= start && now < end : now >= start || now < end
}
