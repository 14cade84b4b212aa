// Provided to the graded task tests (and copied into the starter): a database with the app's schema, an app
// built with no-op signal handlers and no caches, and fixtures written straight to the tables, so a task's
// graded test never runs another task's entry point.
import { randomUUID } from 'node:crypto'
import { createTestDb, testDialects, type TestDatabase } from '@alx/db-core/testing'
import type { FastifyInstance } from 'fastify'
import type { Knex } from 'knex'
import { buildApp } from '../../src/app'
import type { AppConfig } from '../../src/config'
import { INITIAL_MIGRATION } from '../../src/db/schema'
import type { MessageRecord } from '../../src/events/domain-events'
import type { SignalHandlers } from '../../src/events/handlers'
import type { Role } from '../../src/users/repository'

export type Dialect = 'sqlite' | 'mysql'

export const SECRET = 'graded-test-secret-that-is-at-least-32-characters'

/** True when `MYSQL_URL` is set: the graded tests then run on MariaDB too. */
export function hasMariaDb(): boolean {
  return testDialects().includes('mysql')
}

/** A fresh database with the app's tables (the provided schema, not task 1's runner). */
export async function openDb(dialect: Dialect): Promise<TestDatabase> {
  const db = await createTestDb(dialect, dialect === 'sqlite' ? { pool: { max: 1 } } : {})
  await INITIAL_MIGRATION.up(db.knex)
  return db
}

/** Signal handlers that do nothing: the app as it is before tasks 13-15. */
export const NO_SIGNALS: SignalHandlers = Object.freeze({
  notifyRecipients: () => Promise.resolve(),
  recordEditHistory: () => Promise.resolve(),
  deleteUserData: () => Promise.resolve(),
})

/**
 * The app on `db` with every other task out of the way: no-op signal handlers (pass `signals` to put one
 * back), caches off (`cacheSize: 0`), a generous rate limit, cheap password hashing.
 */
export function buildTaskApp(db: TestDatabase, overrides: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  return buildApp({
    db,
    jwtSecret: SECRET,
    cacheSize: 0,
    rateLimit: { max: 1000 },
    passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    ...overrides,
    signals: { ...NO_SIGNALS, ...overrides.signals },
  })
}

export interface UserFixture {
  readonly user_id: string
  readonly email: string
  readonly first_name: string
  readonly role: Role
}

let serial = 0

/** Inserts a user row (its password hash is a placeholder: log in with `bearer`, not with a password). */
export async function insertUser(knex: Knex, options: { readonly name?: string; readonly role?: Role } = {}): Promise<UserFixture> {
  serial += 1
  const first_name = options.name ?? `user${serial}`
  const user = { user_id: randomUUID(), email: `${first_name.toLowerCase()}.${serial}.${Date.now()}@example.com`, first_name, role: options.role ?? 'guest' }
  await knex('users').insert({ ...user, last_name: 'Test', password_hash: 'not a real hash', phone_number: null, created_at: Date.now() })
  return user
}

/** An `Authorization` header with a valid access token for `userId`, signed with the app's secret. */
export function bearer(app: FastifyInstance, userId: string): { authorization: string } {
  const iat = Math.floor(Date.now() / 1000)
  const token = app.jwt.sign({ token_type: 'access', user_id: userId, jti: randomUUID(), iat, exp: iat + 300 })
  return { authorization: `Bearer ${token}` }
}

/** Inserts a conversation of `participantIds` (the first is its creator), returns its id. */
export async function insertConversation(knex: Knex, participantIds: readonly string[]): Promise<string> {
  const conversation_id = randomUUID()
  const now = Date.now()
  await knex('conversations').insert({ conversation_id, created_by: participantIds[0] ?? null, created_at: now, last_seq: 0, message_count: 0, version: 0 })
  await knex('conversation_participants').insert(participantIds.map((user_id) => ({ conversation_id, user_id, joined_at: now, last_read_seq: 0, unread_count: 0 })))
  return conversation_id
}

/** A message row as the fixtures insert it: the domain's stored message. */
export type MessageFixture = MessageRecord

/** Inserts a message as the app would (next `seq` of its conversation, counters bumped), returns its row. */
export async function insertMessage(
  knex: Knex,
  message: { readonly conversationId: string; readonly senderId: string; readonly body: string; readonly parentId?: string | null; readonly sentAt?: number },
): Promise<MessageFixture> {
  return knex.transaction(async (trx) => {
    await trx('conversations').where({ conversation_id: message.conversationId }).update({ last_seq: trx.raw('last_seq + 1'), message_count: trx.raw('message_count + 1'), version: trx.raw('version + 1') })
    const { last_seq } = (await trx('conversations').select('last_seq').where({ conversation_id: message.conversationId }).first()) as { last_seq: number | string }
    const row: MessageFixture = {
      message_id: randomUUID(),
      conversation_id: message.conversationId,
      sender_id: message.senderId,
      parent_message_id: message.parentId ?? null,
      seq: Number(last_seq),
      message_body: message.body,
      sent_at: message.sentAt ?? Date.now(),
      edited_at: null,
    }
    await trx('messages').insert(row)
    return row
  })
}

/** Sets how far `userId` has read a conversation (`conversation_participants.last_read_seq`). */
export async function setLastRead(knex: Knex, conversationId: string, userId: string, seq: number): Promise<void> {
  await knex('conversation_participants').where({ conversation_id: conversationId, user_id: userId }).update({ last_read_seq: seq })
}

/** Rows of `table` matching `where`. */
export async function countRows(knex: Knex, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const row = (await knex(table).where(where).count({ n: '*' }).first()) as { n: number | string }
  return Number(row.n)
}
