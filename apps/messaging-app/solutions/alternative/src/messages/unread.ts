import type { Knex } from 'knex'
import type { Message } from '../http/schemas'
import { selectMessages, toMessage } from './repository'

/** Keeps the messages `userId` has not read: in their conversations, after their last_read_seq there, from others. */
function onlyUnread<T extends Knex.QueryBuilder>(db: Knex, query: T, userId: string): T {
  query
    .join('conversation_participants as cp', 'cp.conversation_id', 'm.conversation_id')
    .where('cp.user_id', userId)
    .andWhere('m.seq', '>', db.ref('cp.last_read_seq'))
    .andWhereNot('m.sender_id', userId)
  return query
}

/** Message.unread.unread_for_user(user): one page of the user's unread messages, oldest first, and how many there are. */
export async function unreadForUser(db: Knex, userId: string, page: { offset: number; limit: number }): Promise<{ count: number; results: Message[] }> {
  const countRow = (await onlyUnread(db, db('messages as m'), userId).count({ n: '*' }).first()) as { n: number | string } | undefined
  const count = Number(countRow?.n ?? 0)

  const rows = await onlyUnread(db, selectMessages(db), userId)
    .orderBy([
      { column: 'm.sent_at', order: 'asc' },
      { column: 'm.message_id', order: 'asc' },
    ])
    .offset(page.offset)
    .limit(page.limit)
  return { count, results: rows.map(toMessage) }
}
