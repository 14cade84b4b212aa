// Child process of api.bench.ts: the app on a fresh SQLite file seeded with a 10k-message conversation,
// plus a bare Fastify route returning a body of the same size. Prints one JSON line when ready.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase } from '@alx/db-core'
import Fastify from 'fastify'
import { buildApp, migrate } from '../src'

const MESSAGES = Number(process.env.BENCH_ROWS ?? 10_000)
const CONVERSATIONS = 40

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alx-bench-'))
  const db = await openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`, { pool: { max: 1 } })
  await migrate(db.knex)
  const app = await buildApp({ db, jwtSecret: 'bench-secret-bench-secret-bench-secret!!', passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 } })

  const register = async (n: number) => {
    const email = `bench${n}@example.com`
    await app.inject({ method: 'POST', url: '/api/auth/register/', payload: { email, password: 'bench password', first_name: `Bench${n}`, last_name: 'User' } })
    const tokens = (await app.inject({ method: 'POST', url: '/api/token/', payload: { email, password: 'bench password' } })).json<{ access: string }>()
    const me = (await app.inject({ method: 'GET', url: '/api/users/me/', headers: { authorization: `Bearer ${tokens.access}` } })).json<{ user_id: string }>()
    return { access: tokens.access, userId: me.user_id }
  }
  const users = await Promise.all([0, 1, 2].map(register))
  const [me, other, third] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]]
  const auth = { authorization: `Bearer ${me.access}` }
  const conversationIds: string[] = []
  for (let i = 0; i < CONVERSATIONS; i += 1) {
    const res = await app.inject({ method: 'POST', url: '/api/conversations/', headers: auth, payload: { participants: i % 2 ? [other.userId] : [other.userId, third.userId] } })
    conversationIds.push(res.json<{ conversation_id: string }>().conversation_id)
  }
  const big = conversationIds[0] as string
  // 10k messages straight into the tables (the API would rate limit them), as the service would write them.
  const start = Date.now() - MESSAGES * 1000
  const rows = Array.from({ length: MESSAGES }, (_, i) => ({
    message_id: randomUUID(),
    conversation_id: big,
    sender_id: i % 2 ? me.userId : other.userId,
    parent_message_id: null,
    seq: i + 1,
    message_body: `Message number ${i + 1}: lorem ipsum dolor sit amet, consectetur adipiscing elit.`,
    sent_at: start + i * 1000,
    edited_at: null,
  }))
  await db.knex.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx('messages').insert(rows.slice(i, i + 500))
    await trx('conversations').where({ conversation_id: big }).update({ last_seq: MESSAGES, message_count: MESSAGES })
  })
  await db.knex.raw('ANALYZE')

  const appUrl = await app.listen({ host: '127.0.0.1', port: 0 })
  // The same app with its version-keyed caches off, to show what a cache miss costs.
  const uncached = await buildApp({ db, jwtSecret: 'bench-secret-bench-secret-bench-secret!!', cacheSize: 0 })
  const uncachedUrl = await uncached.listen({ host: '127.0.0.1', port: 0 })
  const messagesPath = `/api/conversations/${big}/messages/`
  const sample = (await app.inject({ method: 'GET', url: messagesPath, headers: auth })).payload
  const bare = Fastify({ logger: false })
  const body = JSON.parse(sample) as unknown
  bare.get('/bare', () => body)
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 })

  const profile = process.env.BENCH_PROFILE ? await startProfile() : undefined
  process.stdout.write(`${JSON.stringify({ appUrl, uncachedUrl, bareUrl, messagesPath, listPath: '/api/conversations/', authorization: auth.authorization, bodyBytes: sample.length })}\n`)
  process.once('SIGTERM', () => {
    void Promise.resolve(profile?.())
      .then(() => Promise.all([app.close(), uncached.close(), bare.close()]))
      .then(() => db.close())
      .finally(() => {
        rmSync(dir, { recursive: true, force: true })
        process.exit(0)
      })
  })
}

// BENCH_PROFILE=<file>: CPU profile of the load phase only (not the seeding), for finding hot spots.
async function startProfile(): Promise<() => Promise<void>> {
  const { Session } = await import('node:inspector/promises')
  const { writeFileSync } = await import('node:fs')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return async () => {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(process.env.BENCH_PROFILE ?? 'bench.cpuprofile', JSON.stringify(profile))
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
