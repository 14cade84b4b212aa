import { ValidationError } from '../errors'
import { toIso, toIsoOrNull } from './time'
import { parseIsoFilter } from '../messages/filters'

describe('Task 7: pagination and filters', () => {
  describe('parseIsoFilter', () => {
    it('reads ISO 8601 dates and date-times, UTC unless an offset is given', () => {
      expect(parseIsoFilter('start_date', '2024-01-31')).toBe(Date.UTC(2024, 0, 31))
      expect(parseIsoFilter('start_date', '2024-01-31T10:20:30Z')).toBe(Date.UTC(2024, 0, 31, 10, 20, 30))
      expect(parseIsoFilter('start_date', '2024-01-31T10:20:30.5+02:00')).toBe(Date.UTC(2024, 0, 31, 8, 20, 30, 500))
      expect(parseIsoFilter('start_date', '2024-01-31 10:20')).toBe(Date.UTC(2024, 0, 31, 10, 20))
    })

    it('makes a bare end date cover the whole day', () => {
      expect(parseIsoFilter('end_date', '2024-01-31', { endOfDay: true })).toBe(Date.UTC(2024, 1, 1) - 1)
    })

    it('throws a 400 naming the field for anything else', () => {
      for (const bad of ['yesterday', '2024-13-01', '2024-02-30', '31/01/2024', '1706659200']) {
        expect(() => parseIsoFilter('end_date', bad)).toThrow(ValidationError)
        try {
          parseIsoFilter('end_date', bad)
        } catch (error) {
          expect((error as ValidationError).fields).toEqual({ end_date: ['Enter a valid date/time.'] })
        }
      }
    })
  })

  describe('toIso', () => {
    it('formats epoch milliseconds (numbers or driver strings) as ISO 8601', () => {
      expect(toIso(0)).toBe('1970-01-01T00:00:00.000Z')
      expect(toIso('1000')).toBe('1970-01-01T00:00:01.000Z')
      expect(toIsoOrNull(null)).toBeNull()
    })
  })
})
