import type { Knex } from 'knex'
import type { Message } from '../http/schemas'
import { selectMessages, toMessage, type MessageRow } from './repository'

/**
 * The course's `Message.unread.unread_for_user(user)`: the messages `userId` has not read, i.e. messages of
 * the conversations they take part in, with `seq` above their `conversation_participants.last_read_seq`,
 * sent by someone else; oldest first (`sent_at`, then `message_id`), the page `offset`/`limit` of them, and
 * how many there are in all.
 *
 * @example
 * await unreadForUser(knex, bob.user_id, { offset: 0, limit: 20 }) // { count: 3, results: [Message, …] }
 */
export async function unreadForUser(db: Knex, userId: string, page: { readonly offset: number; readonly limit: number }): Promise<{ count: number; results: Message[] }> {
  const base = (q: Knex.QueryBuilder) =>
    q
      .join('conversation_participants as rp', function joinReader() {
        this.on('rp.conversation_id', '=', 'm.conversation_id').andOnVal('rp.user_id', '=', userId)
      })
      .whereRaw('m.seq > rp.last_read_seq')
      .andWhereNot('m.sender_id', userId)
  const counter = base(db('messages as m')).count({ n: '*' })
  const query = base(selectMessages(db)).orderBy([{ column: 'm.sent_at' }, { column: 'm.message_id' }]).offset(page.offset).limit(page.limit)
  const [countRow, rows] = await Promise.all([counter.first() as Promise<{ n: number | string }>, query as Promise<MessageRow[]>])
  return { count: Number(countRow.n), results: rows.map(toMessage) }
}
