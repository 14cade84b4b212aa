// `pnpm demo`: a short tour through app.inject() on a temporary SQLite file; prints JSON and exits.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase, runCli } from '@alx/db-core'
import { buildApp, migrate } from '../src'

// `pnpm demo | head` closes stdout early: stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err
  process.exit(0)
})

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-messaging-demo-'))
  const db = await openDatabase(`sqlite:${path.join(dir, 'demo.sqlite')}`, { pool: { max: 1 } })
  try {
    await migrate(db.knex)
    const app = await buildApp({ db, jwtSecret: 'demo-secret-demo-secret-demo-secret-!!' })
    const show = (title: string, value: unknown) => console.log(`\n# ${title}\n${JSON.stringify(value, null, 2)}`)

    const people = [
      { email: 'ada@example.com', password: 'analytical engine', first_name: 'Ada', last_name: 'Lovelace' },
      { email: 'alan@example.com', password: 'universal machine', first_name: 'Alan', last_name: 'Turing' },
    ]
    const tokens: string[] = []
    const ids: string[] = []
    for (const person of people) {
      const registered = await app.inject({ method: 'POST', url: '/api/auth/register/', payload: { ...person, role: 'admin' } })
      ids.push(registered.json<{ user_id: string }>().user_id)
      if (tokens.length === 0) show('POST /api/auth/register/ (role in the body is ignored)', registered.json())
      const login = await app.inject({ method: 'POST', url: '/api/token/', payload: { email: person.email, password: person.password } })
      tokens.push(login.json<{ access: string }>().access)
    }
    const [ada, alan] = tokens.map((t) => ({ authorization: `Bearer ${t}` }))
    const conversation = await app.inject({ method: 'POST', url: '/api/conversations/', headers: ada, payload: { participants: [ids[1]] } })
    show('POST /api/conversations/', conversation.json())
    const id = conversation.json<{ conversation_id: string }>().conversation_id
    const message = await app.inject({ method: 'POST', url: `/api/conversations/${id}/messages/`, headers: alan, payload: { message_body: 'Can machines think?', sent_at: '1950-10-01T00:00:00Z' } })
    show(`POST /api/conversations/${id}/messages/ (sent_at in the body is ignored)`, message.json())
    const page = await app.inject({ method: 'GET', url: `/api/conversations/${id}/messages/`, headers: ada })
    show(`GET /api/conversations/${id}/messages/`, page.json())
    const outsider = await app.inject({ method: 'GET', url: `/api/conversations/${id}/messages/` })
    show(`GET without a token → ${outsider.statusCode}, WWW-Authenticate: ${String(outsider.headers['www-authenticate'])}`, outsider.json())
    await app.close()
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

void runCli(main, { name: 'demo' })
