import type { Knex } from 'knex'
import type { MessageRecord } from '../events/domain-events'
import type { Message } from '../http/schemas'
import { toIso, toIsoOrNull } from '../http/time'

/** A message row joined with its sender's public columns. */
export interface MessageRow {
  message_id: string
  conversation_id: string
  sender_id: string
  parent_message_id: string | null
  seq: number | string
  message_body: string
  sent_at: number | string
  edited_at: number | string | null
  first_name: string
  last_name: string
  email: string
}

/** Columns selected by {@link selectMessages}. */
const COLUMNS = [
  'm.message_id',
  'm.conversation_id',
  'm.sender_id',
  'm.parent_message_id',
  'm.seq',
  'm.message_body',
  'm.sent_at',
  'm.edited_at',
  'u.first_name',
  'u.last_name',
  'u.email',
] as const

/** `messages as m` joined with its sender `users as u`, ready for filters. */
export function selectMessages(db: Knex): Knex.QueryBuilder<MessageRow, MessageRow[]> {
  return db('messages as m').join('users as u', 'u.user_id', 'm.sender_id').select(COLUMNS) as Knex.QueryBuilder<MessageRow, MessageRow[]>
}

/** Maps a joined row to the API's message shape. */
export function toMessage(row: MessageRow): Message {
  return {
    message_id: row.message_id,
    conversation: row.conversation_id,
    sender: { user_id: row.sender_id, first_name: row.first_name, last_name: row.last_name, email: row.email },
    message_body: row.message_body,
    parent_message: row.parent_message_id,
    sent_at: toIso(row.sent_at),
    edited_at: toIsoOrNull(row.edited_at),
  }
}

/** Maps a row to what domain event handlers get. */
export function toRecord(row: Omit<MessageRow, 'first_name' | 'last_name' | 'email'>): MessageRecord {
  return {
    message_id: row.message_id,
    conversation_id: row.conversation_id,
    sender_id: row.sender_id,
    parent_message_id: row.parent_message_id,
    seq: Number(row.seq),
    message_body: row.message_body,
    sent_at: Number(row.sent_at),
    edited_at: row.edited_at === null ? null : Number(row.edited_at),
  }
}

/** One message of a conversation with its sender, or `undefined`. */
export async function findMessage(db: Knex, conversationId: string, messageId: string): Promise<MessageRow | undefined> {
  return selectMessages(db).where('m.message_id', messageId).andWhere('m.conversation_id', conversationId).first()
}
