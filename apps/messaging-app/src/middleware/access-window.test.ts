import { isWithinWindow } from './access-window'

describe('Task 10: optional time-window restriction', () => {
  describe('isWithinWindow', () => {
    it('includes the start and excludes the end', () => {
      const window = { start: '18:00', end: '21:00' }
      expect(isWithinWindow(window, new Date('2024-01-01T17:59:00Z'))).toBe(false)
      expect(isWithinWindow(window, new Date('2024-01-01T18:00:00Z'))).toBe(true)
      expect(isWithinWindow(window, new Date('2024-01-01T20:59:00Z'))).toBe(true)
      expect(isWithinWindow(window, new Date('2024-01-01T21:00:00Z'))).toBe(false)
    })

    it('wraps past midnight and reads the configured time zone', () => {
      const night = { start: '22:00', end: '06:00' }
      expect(isWithinWindow(night, new Date('2024-01-01T23:30:00Z'))).toBe(true)
      expect(isWithinWindow(night, new Date('2024-01-01T05:59:00Z'))).toBe(true)
      expect(isWithinWindow(night, new Date('2024-01-01T12:00:00Z'))).toBe(false)
      const paris = { start: '09:00', end: '18:00', timeZone: 'Europe/Paris' }
      expect(isWithinWindow(paris, new Date('2024-01-01T08:30:00Z'))).toBe(true)
      expect(isWithinWindow(paris, new Date('2024-01-01T17:30:00Z'))).toBe(false)
    })
  })
})
