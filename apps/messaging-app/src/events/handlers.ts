import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { toIso, toIsoOrNull } from '../http/time'
import type { EventBus, RealtimeEvent, RealtimeEventType } from './bus'
import type { DomainEvents, MessageRecord } from './domain-events'
import type { UnitOfWork } from '../db/unit-of-work'
import { bumpInboxes } from '../users/repository'

function eventData(message: MessageRecord) {
  return {
    message_id: message.message_id,
    conversation: message.conversation_id,
    sender: message.sender_id,
    message_body: message.message_body,
    parent_message: message.parent_message_id,
    sent_at: toIso(message.sent_at),
    edited_at: toIsoOrNull(message.edited_at),
  }
}

async function outbox(uow: UnitOfWork, bus: EventBus, type: RealtimeEventType, message: MessageRecord, recipients: readonly string[]): Promise<void> {
  const data = type === 'message.deleted' ? { message_id: message.message_id, conversation: message.conversation_id } : eventData(message)
  const [inserted] = await uow.trx('events').insert<Array<number | string>>({
    type,
    conversation_id: message.conversation_id,
    recipients: JSON.stringify(recipients),
    payload: JSON.stringify(data),
    created_at: Date.now(),
  })
  const event: RealtimeEvent = { id: Number(inserted), type, conversation_id: message.conversation_id, recipients, data }
  uow.afterCommit(() => bus.publish(event))
}

/**
 * Wires the course's signals as domain event handlers: a notification per recipient of a new message,
 * unread counters, the old body kept on edit, a user's data removed with them, and the real-time outbox.
 *
 * @example
 * registerDomainHandlers(domainEvents, bus)
 */
export function registerDomainHandlers(events: DomainEvents, bus: EventBus): void {
  // Signals task 0: one notification per recipient (post_save on Message, created).
  events.on('message.created', async ({ uow, message, recipients }) => {
    const others = recipients.filter((id) => id !== message.sender_id)
    if (others.length === 0) return
    await uow.trx('notifications').insert(
      others.map((user_id) => ({ notification_id: randomUUID(), user_id, message_id: message.message_id, conversation_id: message.conversation_id, is_read: false, created_at: message.sent_at })),
    )
  })

  // Signals task 4: read state. Others get one more unread; the sender has read up to what they wrote.
  events.on('message.created', async ({ uow, message }) => {
    const { trx } = uow
    await trx('conversation_participants').where({ conversation_id: message.conversation_id }).andWhereNot('user_id', message.sender_id).update({ unread_count: trx.raw('unread_count + 1') })
    await trx('conversation_participants').where({ conversation_id: message.conversation_id, user_id: message.sender_id }).update({ last_read_seq: message.seq, unread_count: 0 })
    await trx('notifications').where({ user_id: message.sender_id, conversation_id: message.conversation_id, is_read: false }).update({ is_read: true })
    await bumpInboxes(trx, { conversationId: message.conversation_id })
  })

  // Signals task 1: the old body goes to history before the edit (pre_save).
  events.on('message.editing', async ({ uow, before, editorId, at }) => {
    await uow.trx('message_history').insert({ history_id: randomUUID(), message_id: before.message_id, old_body: before.message_body, edited_by: editorId, edited_at: at })
  })

  // Signals task 2: a user's messages, notifications and histories go with them, in the same transaction.
  events.on('user.deleting', async ({ uow, userId }) => {
    await deleteUserData(uow.trx, userId)
  })

  events.on('message.created', ({ uow, message, recipients }) => outbox(uow, bus, 'message.created', message, recipients))
  events.on('message.updated', ({ uow, message, recipients }) => outbox(uow, bus, 'message.updated', message, recipients))
  events.on('message.deleted', ({ uow, message, recipients }) => outbox(uow, bus, 'message.deleted', message, recipients))
}

async function deleteUserData(trx: Knex.Transaction, userId: string): Promise<void> {
  const sent = () => trx('messages').select('message_id').where('sender_id', userId)
  const conversations = (await trx('conversation_participants').select('conversation_id').where('user_id', userId).union((q) => void q.select('conversation_id').from('messages').where('sender_id', userId))) as Array<{ conversation_id: string }>
  const affected = [...new Set(conversations.map((c) => c.conversation_id))]

  // Everyone who shared a conversation with them sees a changed list.
  await trx('users').whereIn('user_id', trx('conversation_participants').select('user_id').whereIn('conversation_id', affected)).update({ inbox_version: trx.raw('inbox_version + 1') })
  await trx('notifications').where('user_id', userId).delete()
  await trx('notifications').whereIn('message_id', sent()).delete()
  await trx('message_history').whereIn('message_id', sent()).delete()
  await trx('message_history').where('edited_by', userId).update({ edited_by: null })
  // Replies by others to this user's messages survive as top-level messages.
  const replies = (await trx('messages').select('message_id').whereIn('parent_message_id', sent())) as Array<{ message_id: string }>
  if (replies.length > 0) await trx('messages').whereIn('message_id', replies.map((r) => r.message_id)).update({ parent_message_id: null })
  await trx('messages').where('sender_id', userId).delete()
  await trx('refresh_tokens').where('user_id', userId).delete()
  await trx('event_tickets').where('user_id', userId).delete()
  await trx('conversation_participants').where('user_id', userId).delete()
  await trx('conversations').where('created_by', userId).update({ created_by: null })
  if (affected.length > 0) {
    await trx('conversations')
      .whereIn('conversation_id', affected)
      .update({ message_count: trx('messages as cm').count('*').whereRaw('cm.conversation_id = conversations.conversation_id'), version: trx.raw('version + 1') })
    await trx('conversation_participants')
      .whereIn('conversation_id', affected)
      .update({
        unread_count: trx('messages as um')
          .count('*')
          .whereRaw('um.conversation_id = conversation_participants.conversation_id')
          .andWhereRaw('um.seq > conversation_participants.last_read_seq')
          .andWhereRaw('um.sender_id <> conversation_participants.user_id'),
      })
  }
}
