import type { Knex } from 'knex'

/**
 * The course's `post_delete` signal on User, run inside the deletion's transaction before the user row
 * goes: removes the messages the user sent, the notifications of the user and of those messages, and the
 * edit histories of those messages; histories the user wrote on others' messages keep their row with
 * `edited_by` set to null; replies by others to the user's messages become top-level (`parent_message_id`
 * null). Nothing of other users is deleted.
 *
 * @example
 * await inTransaction(knex, ({ trx }) => deleteUserData(trx, userId))
 */
export async function deleteUserData(trx: Knex.Transaction, userId: string): Promise<void> {
  const sent = () => trx('messages').select('message_id').where('sender_id', userId)
  await trx('notifications').where('user_id', userId).delete()
  await trx('notifications').whereIn('message_id', sent()).delete()
  await trx('message_history').whereIn('message_id', sent()).delete()
  await trx('message_history').where('edited_by', userId).update({ edited_by: null })
  // Replies by others to this user's messages survive as top-level messages.
  const replies = (await trx('messages').select('message_id').whereIn('parent_message_id', sent())) as Array<{ message_id: string }>
  if (replies.length > 0) await trx('messages').whereIn('message_id', replies.map((r) => r.message_id)).update({ parent_message_id: null })
  await trx('messages').where('sender_id', userId).delete()
}
