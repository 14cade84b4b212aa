import type { Knex } from 'knex'

/**
 * post_delete on User, run in the deletion's transaction before the user row goes: the user's messages,
 * their notifications and the histories of those messages are deleted; what the user touched of others
 * (replies to them, histories the user wrote) stays, unlinked from the user.
 */
export async function deleteUserData(trx: Knex.Transaction, userId: string): Promise<void> {
  const ownRows = (await trx('messages').select('message_id').where('sender_id', userId)) as Array<{ message_id: string }>
  const ownMessageIds = ownRows.map((row) => row.message_id)

  if (ownMessageIds.length > 0) {
    // replies to the user's messages become top-level messages
    await trx('messages').whereIn('parent_message_id', ownMessageIds).update({ parent_message_id: null })
    // notifications and histories about the user's messages
    await trx('notifications').whereIn('message_id', ownMessageIds).delete()
    await trx('message_history').whereIn('message_id', ownMessageIds).delete()
  }

  // the user's own notifications
  await trx('notifications').where('user_id', userId).delete()
  // histories the user wrote on other people's messages stay, without an editor
  await trx('message_history').where('edited_by', userId).update({ edited_by: null })
  // and finally the messages the user sent
  await trx('messages').where('sender_id', userId).delete()
}
