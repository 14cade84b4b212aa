// Entry point of `pnpm start`: opens the database (DATABASE_URL, else this app's embedded SQLite file),
// applies migrations, listens, and prints where the API and its docs are.
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { formatCliError, openDatabase } from '@alx/db-core'
import { buildApp } from './app'
import { migrate } from './db/migrations'
import { RedisEventBus } from './events/redis-bus'

const DEFAULT_SQLITE = `sqlite:${path.resolve(__dirname, '..', 'data', 'messaging.sqlite')}`

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? DEFAULT_SQLITE
  // better-sqlite3 is synchronous: one connection serializes writers without lock waits that block the loop.
  const db = await openDatabase(url, url.startsWith('sqlite:') ? { pool: { max: 1 } } : {})
  await migrate(db.knex)
  let jwtSecret = process.env.JWT_SECRET
  if (jwtSecret === undefined) {
    jwtSecret = randomBytes(32).toString('hex')
    process.stderr.write('JWT_SECRET is not set: using a random secret, so tokens end with this process.\n')
  }
  const redisUrl = process.env.REDIS_URL
  const eventBus = redisUrl ? await RedisEventBus.connect(redisUrl) : undefined
  const app = await buildApp({
    db,
    jwtSecret,
    eventBus,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    trustProxy: process.env.TRUST_PROXY === undefined ? false : process.env.TRUST_PROXY === 'true' ? true : process.env.TRUST_PROXY,
    requestLogFile: process.env.REQUEST_LOG_FILE,
    rateLimit: redisUrl ? { redisUrl } : {},
  })
  const host = process.env.HOST ?? '127.0.0.1'
  const port = Number(process.env.PORT ?? 8000)
  const address = await app.listen({ host, port })
  process.stdout.write(`messaging API on ${db.dialect}: ${address}/api/\nOpenAPI: ${address}/api/schema/\nSwagger UI: ${address}/api/docs/\n`)
  const stop = async () => {
    await app.close()
    await eventBus?.close()
    await db.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

main().catch((error: unknown) => {
  // one line that says what to do (db-core's DatabaseError family); the stack only with LOG_LEVEL=debug
  process.stderr.write(`messaging-app: ${formatCliError(error)}\n`)
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`)
  process.exit(1)
})
