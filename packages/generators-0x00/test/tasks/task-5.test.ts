// Graded: Task 5 of tasks.md (advanced) — followUsers, an endless generator of the users inserted while it runs.
import { insertUserRows } from '@alx/db-core'
import type { UserDataRow } from '@alx/db-core'
import { followUsers } from '../../src/follow-users'
import { COURSE_USERS, errorOf, newUser, onEachDialect, sleep } from './support'

/** Waits for `promise`, or fails after `ms` naming what did not happen. */
async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const sortedIds = (users: readonly UserDataRow[]): string[] => users.map((user) => user.user_id).sort()

describe('Task 5: followUsers yields the users inserted while it runs', () => {
  it('yields each user inserted after the first next(), once, and none of those already there', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const stop = new AbortController()
      const follower = followUsers({ db, pollMs: 20, signal: stop.signal })
      const seen: UserDataRow[] = []
      const consumed = (async () => {
        for (let step = await follower.next(); step.done !== true; step = await follower.next()) seen.push(step.value)
      })()
      try {
        await sleep(300) // the first next() has looked at what the table holds
        const added = [newUser(1), newUser(2), newUser(3, { age: 24.5 })]
        await insertUserRows(db.knex, added.slice(0, 1))
        await sleep(100)
        await insertUserRows(db.knex, added.slice(1))
        const deadline = Date.now() + 3000
        while (seen.length < added.length && Date.now() < deadline) await sleep(20)
        await sleep(150) // more polls: nothing is yielded twice
        expect(sortedIds(seen)).toEqual(sortedIds(added))
        expect(seen.find((user) => user.user_id === added[2]?.user_id)).toEqual(added[2])
      } finally {
        stop.abort()
        await within(3000, consumed, 'the loop after abort()')
      }
    })
  })

  it('ends quietly when the signal aborts while it waits between polls: next() resolves { done: true } long before the next poll', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const stop = new AbortController()
      const follower = followUsers({ db, pollMs: 60_000, signal: stop.signal })
      const pending = follower.next()
      await sleep(300)
      const startedAt = Date.now()
      stop.abort()
      const step = await within(3000, pending, 'next() after abort()')
      expect(step.done).toBe(true)
      expect(Date.now() - startedAt).toBeLessThan(3000)
      expect(db.poolStats().used).toBe(0)
      expect(db.closed).toBe(false)
    })
  })

  it('with a signal that is already aborted, the first next() resolves { done: true }', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const stop = new AbortController()
      stop.abort()
      const step = await within(3000, followUsers({ db, pollMs: 20, signal: stop.signal }).next(), 'next() with an aborted signal')
      expect(step.done).toBe(true)
    })
  })

  it('gives its connection back when the loop breaks after the first new user', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const stop = new AbortController()
      const loop = (async () => {
        for await (const user of followUsers({ db, pollMs: 20, signal: stop.signal })) return user
        return undefined
      })()
      try {
        await sleep(300)
        await insertUserRows(db.knex, [newUser(7)])
        expect(await within(3000, loop, 'the first new user')).toEqual(newUser(7))
        expect(db.poolStats().used).toBe(0)
      } finally {
        stop.abort()
      }
    })
  })

  it('rejects a poll interval that is not a positive integer (0, -5) with a TypeError', async () => {
    await onEachDialect(COURSE_USERS, async (db) => {
      const stop = new AbortController()
      try {
        expect(await within(2000, errorOf(() => followUsers({ db, pollMs: 0, signal: stop.signal })), 'pollMs: 0')).toBeInstanceOf(TypeError)
        expect(await within(2000, errorOf(() => followUsers({ db, pollMs: -5, signal: stop.signal })), 'pollMs: -5')).toBeInstanceOf(TypeError)
      } finally {
        stop.abort()
      }
    })
  })
})
