import type { AccessWindow } from '../config'

/** 'HH:MM' to minutes after midnight. */
function toMinutes(time: string): number {
  const [hours, minutes] = time.split(':')
  return Number(hours) * 60 + Number(minutes)
}

/** Minutes after midnight of `at` on the wall clock of `timeZone`. */
function minutesInZone(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at)
  let hours = 0
  let minutes = 0
  for (const part of parts) {
    if (part.type === 'hour') hours = Number(part.value)
    if (part.type === 'minute') minutes = Number(part.value)
  }
  return hours * 60 + minutes
}

/** True when `at` is at or after `start` and before `end` (wrapping past midnight when end < start). */
export function isWithinWindow(window: AccessWindow, at: Date): boolean {
  const start = toMinutes(window.start)
  const end = toMinutes(window.end)
  const now = minutesInZone(at, window.timeZone ?? 'UTC')
  if (start <= end) {
    return now >= start && now < end
  }
  // the window wraps past midnight, e.g. 22:00 - 06:00
  return now >= start || now < end
}
