import type { TestDatabase } from '@alx/db-core/testing'
import { isWithinWindow } from '../../src/middleware/access-window'
import { bearer, buildTaskApp, hasMariaDb, insertUser, openDb, type Dialect } from './support'

function suite(dialect: Dialect): void {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openDb(dialect)
  })
  afterAll(async () => {
    await db.close()
  })

  it('answers 403 on the chat routes outside the window and lets them through inside it', async () => {
    let now = new Date('2024-01-31T17:59:00Z')
    const alice = await insertUser(db.knex, { name: 'alice' })
    const app = await buildTaskApp(db, { accessWindow: { start: '18:00', end: '21:00' }, now: () => now })
    try {
      const before = await app.inject({ method: 'GET', url: '/api/conversations/', headers: bearer(app, alice.user_id) })
      expect({ at: '17:59', status: before.statusCode }).toEqual({ at: '17:59', status: 403 })
      const health = await app.inject({ method: 'GET', url: '/health' })
      // only the chat routes are restricted: /health answers whatever it answers (Task 0's code), never the window's 403
      expect({ healthAt: '17:59', refusedByTheWindow: health.statusCode === 403 }).toEqual({ healthAt: '17:59', refusedByTheWindow: false })
      now = new Date('2024-01-31T18:30:00Z')
      const inside = await app.inject({ method: 'GET', url: '/api/conversations/', headers: bearer(app, alice.user_id) })
      expect({ at: '18:30', status: inside.statusCode }).toEqual({ at: '18:30', status: 200 })
      now = new Date('2024-01-31T21:00:00Z')
      const after = await app.inject({ method: 'GET', url: '/api/messages/', headers: bearer(app, alice.user_id) })
      expect({ at: '21:00', status: after.statusCode }).toEqual({ at: '21:00', status: 403 })
    } finally {
      await app.close()
    }
  })
}

describe('Task 10: Optional time-window restriction', () => {
  describe('isWithinWindow', () => {
    it('includes the start and excludes the end', () => {
      const window = { start: '18:00', end: '21:00' }
      const at = (time: string) => isWithinWindow(window, new Date(`2024-01-01T${time}:00Z`))
      expect({ '17:59': at('17:59'), '18:00': at('18:00'), '20:59': at('20:59'), '21:00': at('21:00') }).toEqual({ '17:59': false, '18:00': true, '20:59': true, '21:00': false })
    })

    it('wraps past midnight when end is before start', () => {
      const night = { start: '22:00', end: '06:00' }
      const at = (time: string) => isWithinWindow(night, new Date(`2024-01-01T${time}:00Z`))
      expect({ '23:30': at('23:30'), '05:59': at('05:59'), '12:00': at('12:00') }).toEqual({ '23:30': true, '05:59': true, '12:00': false })
    })

    it('reads the times in the window time zone (UTC when absent)', () => {
      const paris = { start: '09:00', end: '18:00', timeZone: 'Europe/Paris' }
      expect({ '08:30Z': isWithinWindow(paris, new Date('2024-01-01T08:30:00Z')), '17:30Z': isWithinWindow(paris, new Date('2024-01-01T17:30:00Z')) }).toEqual({ '08:30Z': true, '17:30Z': false })
    })
  })

  describe('on SQLite', () => suite('sqlite'))
  if (hasMariaDb()) describe('on MariaDB', () => suite('mysql'))
})
