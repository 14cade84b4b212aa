import type { Knex } from 'knex'
import type { Conversation, PublicUser } from '../http/schemas'
import { toIso } from '../http/time'

/** What a participant row says about the caller's place in a conversation. */
export interface Membership {
  readonly message_count: number
  readonly last_seq: number
  readonly last_read_seq: number
  readonly unread_count: number
}

interface ConversationRow {
  conversation_id: string
  created_at: number | string
  message_count: number | string
  unread_count: number | string
}

interface ParticipantUserRow extends PublicUser {
  conversation_id: string
}

/**
 * The caller's membership of a conversation, or `undefined` when they are not in it (or it does not exist):
 * one indexed lookup that also yields the message count the page needs.
 */
export async function findMembership(db: Knex, conversationId: string, userId: string): Promise<Membership | undefined> {
  const row = await db('conversation_participants as p')
    .join('conversations as c', 'c.conversation_id', 'p.conversation_id')
    .select('c.message_count', 'c.last_seq', 'p.last_read_seq', 'p.unread_count')
    .where('p.conversation_id', conversationId)
    .andWhere('p.user_id', userId)
    .first<Record<keyof Membership, number | string> | undefined>()
  if (!row) return undefined
  return {
    message_count: Number(row.message_count),
    last_seq: Number(row.last_seq),
    last_read_seq: Number(row.last_read_seq),
    unread_count: Number(row.unread_count),
  }
}

/** True when the conversation exists at all (to tell 403 from 404 on a POST). */
export async function conversationExists(db: Knex, conversationId: string): Promise<boolean> {
  const row: unknown = await db('conversations').select('conversation_id').where({ conversation_id: conversationId }).first()
  return row !== undefined
}

/** The user ids of a conversation's participants. */
export async function participantIds(db: Knex, conversationId: string): Promise<string[]> {
  const rows = await db('conversation_participants').select('user_id').where({ conversation_id: conversationId })
  return (rows as Array<{ user_id: string }>).map((r) => r.user_id)
}

/** How many conversations `userId` is in. */
export async function countConversations(db: Knex, userId: string): Promise<number> {
  const row = await db('conversation_participants').where({ user_id: userId }).count({ n: '*' }).first<{ n: number | string }>()
  return Number(row.n)
}

/** One page of the caller's conversations, newest first, with participants and counts. */
export async function listConversations(db: Knex, userId: string, page: { offset: number; limit: number }): Promise<Conversation[]> {
  const rows = await db('conversation_participants as p')
    .join('conversations as c', 'c.conversation_id', 'p.conversation_id')
    .select('c.conversation_id', 'c.created_at', 'c.message_count', 'p.unread_count')
    .where('p.user_id', userId)
    .orderBy([{ column: 'c.created_at', order: 'desc' }, { column: 'c.conversation_id', order: 'desc' }])
    .offset(page.offset)
    .limit(page.limit) as ConversationRow[]
  return withParticipants(db, rows)
}

/** One of the caller's conversations, or `undefined`. */
export async function getConversation(db: Knex, conversationId: string, userId: string): Promise<Conversation | undefined> {
  const rows = await db('conversation_participants as p')
    .join('conversations as c', 'c.conversation_id', 'p.conversation_id')
    .select('c.conversation_id', 'c.created_at', 'c.message_count', 'p.unread_count')
    .where('p.user_id', userId)
    .andWhere('p.conversation_id', conversationId) as ConversationRow[]
  const [conversation] = await withParticipants(db, rows)
  return conversation
}

async function withParticipants(db: Knex, rows: ConversationRow[]): Promise<Conversation[]> {
  if (rows.length === 0) return []
  const people = await db('conversation_participants as p')
    .join('users as u', 'u.user_id', 'p.user_id')
    .select('p.conversation_id', 'u.user_id', 'u.first_name', 'u.last_name', 'u.email')
    .whereIn('p.conversation_id', rows.map((r) => r.conversation_id))
    .orderBy([{ column: 'p.conversation_id' }, { column: 'p.joined_at' }, { column: 'u.user_id' }]) as ParticipantUserRow[]
  const byConversation = new Map<string, PublicUser[]>()
  for (const { conversation_id, ...user } of people) {
    const list = byConversation.get(conversation_id) ?? []
    list.push(user)
    byConversation.set(conversation_id, list)
  }
  return rows.map((r) => ({
    conversation_id: r.conversation_id,
    participants: byConversation.get(r.conversation_id) ?? [],
    created_at: toIso(r.created_at),
    message_count: Number(r.message_count),
    unread_count: Number(r.unread_count),
  }))
}
