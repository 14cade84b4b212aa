// `pnpm seed:demo`: demo users, conversations and messages in the database `pnpm start` uses
// (DATABASE_URL, else apps/messaging-app/data/messaging.sqlite). Idempotent: a second run changes nothing.
import path from 'node:path'
import { maskUrl, openDatabase, runCli } from '@alx/db-core'
import { buildApp, migrate } from '../src'

const PASSWORD = 'demo password'
const PEOPLE = [
  ['grace@example.com', 'Grace', 'Hopper'],
  ['linus@example.com', 'Linus', 'Torvalds'],
  ['margaret@example.com', 'Margaret', 'Hamilton'],
  ['ken@example.com', 'Ken', 'Thompson'],
] as const

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? `sqlite:${path.resolve(__dirname, '..', 'data', 'messaging.sqlite')}`
  const db = await openDatabase(url, url.startsWith('sqlite:') ? { pool: { max: 1 } } : {})
  try {
    await migrate(db.knex)
    // Seeding goes through the API (in-process), so every rule and domain event applies; a high rate limit
    // lets the script post its messages in one go.
    const app = await buildApp({ db, jwtSecret: 'seed-secret-seed-secret-seed-secret-!!', rateLimit: { max: 10_000 } })
    const users: Array<{ id: string; auth: { authorization: string } }> = []
    for (const [email, first_name, last_name] of PEOPLE) {
      await app.inject({ method: 'POST', url: '/api/auth/register/', payload: { email, password: PASSWORD, first_name, last_name } })
      const login = await app.inject({ method: 'POST', url: '/api/token/', payload: { email, password: PASSWORD } })
      if (login.statusCode !== 200) throw new Error(`cannot log in ${email}: ${login.body} (was it registered with another password?)`)
      const auth = { authorization: `Bearer ${login.json<{ access: string }>().access}` }
      const me = await app.inject({ method: 'GET', url: '/api/users/me/', headers: auth })
      users.push({ id: me.json<{ user_id: string }>().user_id, auth })
    }
    const [grace, linus, margaret, ken] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0], (typeof users)[0]]
    const talks: Array<[typeof grace, Array<typeof grace>, string[]]> = [
      [grace, [linus], ['It is easier to ask forgiveness than permission.', 'Talk is cheap. Show me the code.']],
      [margaret, [grace, ken], ['Apollo guidance ready.', 'Ship it.', 'One more test first.']],
    ]
    const existing = await app.inject({ method: 'GET', url: '/api/conversations/', headers: grace.auth })
    const seeded = existing.json<{ count: number }>().count > 0
    for (const [owner, others, lines] of seeded ? [] : talks) {
      const res = await app.inject({ method: 'POST', url: '/api/conversations/', headers: owner.auth, payload: { participants: others.map((o) => o.id) } })
      const id = res.json<{ conversation_id: string }>().conversation_id
      const speakers = [owner, ...others]
      for (const [i, line] of lines.entries()) {
        await app.inject({ method: 'POST', url: `/api/conversations/${id}/messages/`, headers: speakers[i % speakers.length]?.auth, payload: { message_body: line } })
      }
    }
    await app.close()
    // the same lines whether this run seeded or found the data (what it did goes to stderr)
    console.error(seeded ? '(demo data already present: nothing changed)' : '(seeded the demo data)')
    console.log(`demo data in ${maskUrl(db.url)}: ${PEOPLE.length} users (password "${PASSWORD}"), ${talks.length} conversations`)
    console.log(PEOPLE.map(([email]) => `  ${email}`).join('\n'))
  } finally {
    await db.close()
  }
}

void runCli(main, { name: 'seed:demo' })
