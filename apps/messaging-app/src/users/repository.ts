import type { Knex } from 'knex'
import type { FastReads } from '../db/fast-reads'
import type { Me, PublicUser } from '../http/schemas'
import { toIso } from '../http/time'

/** A user's role, as in the original model. */
export type Role = 'guest' | 'host' | 'admin'

/** A `users` row. */
export interface UserRow {
  user_id: string
  email: string
  password_hash: string
  first_name: string
  last_name: string
  phone_number: string | null
  role: Role
  created_at: number | string
}

/** The authenticated caller, as routes see it on `request.user`. */
export interface AuthUser {
  readonly user_id: string
  readonly email: string
  readonly role: Role
  /** Version of the user's conversation list (see `bumpInboxes`), read with the identity for free. */
  readonly inbox_version: number
}

/** Columns of {@link PublicUser}. */
export const PUBLIC_USER_COLUMNS = ['user_id', 'first_name', 'last_name', 'email'] as const

/** Maps a row to the caller's own view of it. */
export function toMe(row: UserRow): Me {
  return {
    user_id: row.user_id,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    phone_number: row.phone_number,
    role: row.role,
    created_at: toIso(row.created_at),
  }
}

/** Maps a row to what other users see. */
export function toPublicUser(row: Pick<UserRow, 'user_id' | 'first_name' | 'last_name' | 'email'>): PublicUser {
  return { user_id: row.user_id, first_name: row.first_name, last_name: row.last_name, email: row.email }
}

/** Finds a user by id. */
export async function findUserById(db: Knex, userId: string): Promise<UserRow | undefined> {
  return db<UserRow>('users').where({ user_id: userId }).first()
}

/** Finds a user by (lower-cased) email. */
export async function findUserByEmail(db: Knex, email: string): Promise<UserRow | undefined> {
  return db<UserRow>('users').where({ email }).first()
}

/** The caller's identity columns only: the per-request lookup behind authentication. */
export async function findAuthUser(reads: FastReads, userId: string): Promise<AuthUser | undefined> {
  const row = await reads.first<Omit<AuthUser, 'inbox_version'> & { inbox_version: number | string }>('SELECT user_id, email, role, inbox_version FROM users WHERE user_id = ?', [userId])
  return row && { ...row, inbox_version: Number(row.inbox_version) }
}

/**
 * Marks the conversation lists of every participant of `conversationId` (or of `userIds`) as changed, in
 * the caller's transaction, so no cached list page outlives the change.
 */
export async function bumpInboxes(trx: Knex, target: { readonly conversationId: string } | { readonly userIds: readonly string[] }): Promise<void> {
  const query = trx('users')
  if ('conversationId' in target) void query.whereIn('user_id', trx('conversation_participants').select('user_id').where('conversation_id', target.conversationId))
  else if (target.userIds.length > 0) void query.whereIn('user_id', target.userIds)
  else return
  await query.update({ inbox_version: trx.raw('inbox_version + 1') })
}

/** Inserts a user row. */
export async function insertUser(db: Knex, row: UserRow): Promise<void> {
  await db<UserRow>('users').insert(row)
}

/** Which of `ids` exist. */
export async function existingUserIds(db: Knex, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db<UserRow>('users').select('user_id').whereIn('user_id', ids)
  return new Set(rows.map((r) => r.user_id))
}
