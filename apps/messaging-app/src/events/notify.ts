import { randomUUID } from 'node:crypto'
import type { DomainEventMap } from './domain-events'

/**
 * The course's `post_save` signal on Message (created): one unread notification per recipient of a new
 * message, the sender excepted, written in the message's own transaction (`event.uow.trx`).
 *
 * @example
 * domainEvents.on('message.created', notifyRecipients)
 */
export async function notifyRecipients(event: DomainEventMap['message.created']): Promise<void> {
  const { uow, message, recipients } = event
  const others = [...new Set(recipients)].filter((id) => id !== message.sender_id)
  if (others.length === 0) return
  await uow.trx('notifications').insert(
    others.map((user_id) => ({ notification_id: randomUUID(), user_id, message_id: message.message_id, conversation_id: message.conversation_id, is_read: false, created_at: message.sent_at })),
  )
}
