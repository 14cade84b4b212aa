import { randomUUID } from 'node:crypto'
import type { UnitOfWork } from '../db/unit-of-work'
import type { MessageRecord } from './domain-events'

/** post_save on a new Message: one unread notification per recipient except the sender, in the message's transaction. */
export async function notifyRecipients(event: { uow: UnitOfWork; message: MessageRecord; recipients: readonly string[] }): Promise<void> {
  const { uow, message, recipients } = event
  const rows = []
  for (const userId of recipients) {
    if (userId === message.sender_id) continue
    rows.push({
      notification_id: randomUUID(),
      user_id: userId,
      message_id: message.message_id,
      conversation_id: message.conversation_id,
      is_read: false,
      created_at: message.sent_at,
    })
  }
  if (rows.length === 0) return
  await uow.trx('notifications').insert(rows)
}
