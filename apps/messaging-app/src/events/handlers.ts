import type { Knex } from 'knex'
import { toIso, toIsoOrNull } from '../http/time'
import type { EventBus, RealtimeEvent, RealtimeEventType } from './bus'
import type { DomainEventMap, DomainEvents, MessageRecord } from './domain-events'
import type { UnitOfWork } from '../db/unit-of-work'
import { deleteUserData } from '../users/delete-user-data'
import { bumpInboxes } from '../users/repository'
import { recordEditHistory } from './edit-history'
import { notifyRecipients } from './notify'

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

/** The course's three signals, each a task's entry point (13, 14, 15); `buildApp`'s `signals` option replaces them. */
export interface SignalHandlers {
  /** Task 13: a notification per recipient of a new message. */
  readonly notifyRecipients: (event: DomainEventMap['message.created']) => Promise<void>
  /** Task 14: the old body kept before an edit. */
  readonly recordEditHistory: (event: DomainEventMap['message.editing']) => Promise<void>
  /** Task 15: a deleted user's messages, notifications and histories removed. */
  readonly deleteUserData: (trx: Knex.Transaction, userId: string) => Promise<void>
}

/**
 * The tasks' signal handlers.
 *
 * @example
 * buildApp({ db, jwtSecret, signals: { ...DEFAULT_SIGNALS, notifyRecipients: myHandler } })
 */
export const DEFAULT_SIGNALS: SignalHandlers = Object.freeze({ notifyRecipients, recordEditHistory, deleteUserData })

/**
 * Wires the course's signals as domain event handlers (the three of {@link SignalHandlers}, looked up when
 * an event fires, so registering runs none of them) plus the provided bookkeeping: unread counters, the
 * counters and versions a user's deletion changes, and the real-time outbox.
 *
 * @example
 * registerDomainHandlers(domainEvents, bus, DEFAULT_SIGNALS)
 */
export function registerDomainHandlers(events: DomainEvents, bus: EventBus, signals: SignalHandlers = DEFAULT_SIGNALS): void {
  // Signals task 0: one notification per recipient (post_save on Message, created).
  events.on('message.created', (event) => signals.notifyRecipients(event))

  // Read state. Others get one more unread; the sender has read up to what they wrote.
  events.on('message.created', async ({ uow, message }) => {
    const { trx } = uow
    await trx('conversation_participants').where({ conversation_id: message.conversation_id }).andWhereNot('user_id', message.sender_id).update({ unread_count: trx.raw('unread_count + 1') })
    await trx('conversation_participants').where({ conversation_id: message.conversation_id, user_id: message.sender_id }).update({ last_read_seq: message.seq, unread_count: 0 })
    await trx('notifications').where({ user_id: message.sender_id, conversation_id: message.conversation_id, is_read: false }).update({ is_read: true })
    await bumpInboxes(trx, { conversationId: message.conversation_id })
  })

  // Signals task 1: the old body goes to history before the edit (pre_save).
  events.on('message.editing', (event) => signals.recordEditHistory(event))

  // Signals task 2: a user's messages, notifications and histories go with them, in the same transaction.
  events.on('user.deleting', async ({ uow, userId }) => {
    const affected = await affectedConversations(uow.trx, userId)
    await signals.deleteUserData(uow.trx, userId)
    await afterUserDataDeleted(uow.trx, userId, affected)
  })

  events.on('message.created', ({ uow, message, recipients }) => outbox(uow, bus, 'message.created', message, recipients))
  events.on('message.updated', ({ uow, message, recipients }) => outbox(uow, bus, 'message.updated', message, recipients))
  events.on('message.deleted', ({ uow, message, recipients }) => outbox(uow, bus, 'message.deleted', message, recipients))
}

async function affectedConversations(trx: Knex.Transaction, userId: string): Promise<string[]> {
  const rows = (await trx('conversation_participants').select('conversation_id').where('user_id', userId).union((q) => void q.select('conversation_id').from('messages').where('sender_id', userId))) as Array<{ conversation_id: string }>
  return [...new Set(rows.map((c) => c.conversation_id))]
}

// What the app keeps beside the course's data: tokens, tickets, memberships, counters and cache versions.
async function afterUserDataDeleted(trx: Knex.Transaction, userId: string, affected: readonly string[]): Promise<void> {
  // Everyone who shared a conversation with them sees a changed list.
  if (affected.length > 0) await trx('users').whereIn('user_id', trx('conversation_participants').select('user_id').whereIn('conversation_id', affected)).update({ inbox_version: trx.raw('inbox_version + 1') })
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
