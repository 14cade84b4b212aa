import { randomUUID } from 'node:crypto'
import type { UnitOfWork } from '../db/unit-of-work'
import type { MessageRecord } from './domain-events'

/** pre_save on Message: keep the old body in message_history before it changes, in the edit's transaction. */
export async function recordEditHistory(event: { uow: UnitOfWork; before: MessageRecord; newBody: string; editorId: string; at: number }): Promise<void> {
  const { uow, before, editorId, at } = event
  await uow.trx('message_history').insert({
    history_id: randomUUID(),
    message_id: before.message_id,
    old_body: before.message_body,
    edited_by: editorId,
    edited_at: at,
  })
}
