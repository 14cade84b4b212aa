import type { Knex } from 'knex'
import type { FastReads } from '../db/fast-reads'
import type { Conversation, PublicUser } from '../http/schemas'
import { toIso } from '../http/time'

/** The largest group a conversation may have. */
export const MAX_PARTICIPANTS = 100

/** What a participant row says about the caller's place in a conversation. */
export interface Membership {
  readonly message_count: number
  readonly version: number
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
  joined_at: number | string
}

/**
 * The caller's membership of a conversation, or `undefined` when they are not in it (or it does not exist):
 * one indexed lookup that also yields the message count the page needs.
 */
export async function findMembership(reads: FastReads, conversationId: string, userId: string): Promise<Membership | undefined> {
  const row = await reads.first<Record<keyof Membership, number | string>>(
    `SELECT c.message_count, c.version, c.last_seq, p.last_read_seq, p.unread_count
       FROM conversation_participants p JOIN conversations c ON c.conversation_id = p.conversation_id
      WHERE p.conversation_id = ? AND p.user_id = ?`,
    [conversationId, userId],
  )
  if (!row) return undefined
  return {
    message_count: Number(row.message_count),
    version: Number(row.version),
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
export async function countConversations(reads: FastReads, userId: string): Promise<number> {
  const row = await reads.first<{ n: number | string }>('SELECT COUNT(*) AS n FROM conversation_participants WHERE user_id = ?', [userId])
  return Number(row?.n ?? 0)
}

/**
 * One page of the caller's conversations, most recently joined first, with participants and counts: one
 * statement (the page is a derived table joined to its participants), so the list costs a single query.
 */
export async function listConversations(reads: FastReads, userId: string, page: { offset: number; limit: number }): Promise<Conversation[]> {
  const rows = await reads.all<ConversationRow & ParticipantUserRow & { joined_at: number | string; member_joined_at: number | string }>(
    `SELECT c.conversation_id, c.created_at, c.message_count, mine.unread_count, mine.joined_at,
            u.user_id, u.first_name, u.last_name, u.email, pp.joined_at AS member_joined_at
       FROM (SELECT p.conversation_id, p.unread_count, p.joined_at
               FROM conversation_participants p
              WHERE p.user_id = ?
              ORDER BY p.joined_at DESC, p.conversation_id DESC
              LIMIT ? OFFSET ?) mine
       JOIN conversations c ON c.conversation_id = mine.conversation_id
       JOIN conversation_participants pp ON pp.conversation_id = mine.conversation_id
       JOIN users u ON u.user_id = pp.user_id`,
    [userId, page.limit, page.offset],
  )
  // Grouped and ordered here: sorting ~50 rows in JS is cheaper than a temp B-tree in SQLite.
  rows.sort((a, b) => Number(b.joined_at) - Number(a.joined_at) || (a.conversation_id < b.conversation_id ? 1 : a.conversation_id > b.conversation_id ? -1 : 0) || Number(a.member_joined_at) - Number(b.member_joined_at) || (a.user_id < b.user_id ? -1 : 1))
  const conversations: Conversation[] = []
  let current: Conversation | undefined
  for (const r of rows) {
    if (current?.conversation_id !== r.conversation_id) {
      current = { conversation_id: r.conversation_id, participants: [], created_at: toIso(r.created_at), message_count: Number(r.message_count), unread_count: Number(r.unread_count) }
      conversations.push(current)
    }
    current.participants.push({ user_id: r.user_id, first_name: r.first_name, last_name: r.last_name, email: r.email })
  }
  return conversations
}

/** One of the caller's conversations, or `undefined`. */
export async function getConversation(reads: FastReads, conversationId: string, userId: string): Promise<Conversation | undefined> {
  const rows = await reads.all<ConversationRow>(
    `SELECT c.conversation_id, c.created_at, c.message_count, p.unread_count
       FROM conversation_participants p JOIN conversations c ON c.conversation_id = p.conversation_id
      WHERE p.user_id = ? AND p.conversation_id = ?`,
    [userId, conversationId],
  )
  const [conversation] = await withParticipants(reads, rows)
  return conversation
}

async function withParticipants(reads: FastReads, rows: ConversationRow[]): Promise<Conversation[]> {
  if (rows.length === 0) return []
  const people = await reads.all<ParticipantUserRow>(
    `SELECT p.conversation_id, p.joined_at, u.user_id, u.first_name, u.last_name, u.email
       FROM conversation_participants p JOIN users u ON u.user_id = p.user_id
      WHERE p.conversation_id IN (${rows.map(() => '?').join(', ')})`,
    rows.map((r) => r.conversation_id),
  )
  people.sort((a, b) => Number(a.joined_at) - Number(b.joined_at) || (a.user_id < b.user_id ? -1 : 1))
  const byConversation = new Map<string, PublicUser[]>()
  for (const { conversation_id, user_id, first_name, last_name, email } of people) {
    const list = byConversation.get(conversation_id) ?? []
    list.push({ user_id, first_name, last_name, email })
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
