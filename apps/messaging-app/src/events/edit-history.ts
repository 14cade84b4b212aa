import { randomUUID } from 'node:crypto'
import type { DomainEventMap } from './domain-events'

/**
 * The course's `pre_save` signal on Message: before a body changes, its old body goes to `message_history`
 * (with who edited and when), in the edit's own transaction (`event.uow.trx`).
 *
 * @example
 * domainEvents.on('message.editing', recordEditHistory)
 */
export async function recordEditHistory(event: DomainEventMap['message.editing']): Promise<void> {
  const { uow, before, editorId, at } = event
  await uow.trx('message_history').insert({ history_id: randomUUID(), message_id: before.message_id, old_body: before.message_body, edited_by: editorId, edited_at: at })
}
