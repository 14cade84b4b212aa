import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { ValidationError } from '../errors'
import { existingUserIds } from '../users/repository'
import { MAX_PARTICIPANTS } from './repository'

/**
 * The participant list a conversation gets: the caller first, then the requested ids (lower-cased), without
 * duplicates. Throws a `ValidationError` on `participants` when fewer than two remain, more than
 * `MAX_PARTICIPANTS`, or some user does not exist.
 *
 * @example
 * await validateParticipants(db, alice, [bob, bob]) // [alice, bob]
 */
export async function validateParticipants(db: Knex, callerId: string, requested: readonly string[]): Promise<string[]> {
  const ids = [...new Set([callerId, ...requested.map((id) => id.toLowerCase())])]
  if (ids.length < 2) throw new ValidationError({ participants: ['A conversation needs at least two participants.'] })
  if (ids.length > MAX_PARTICIPANTS) throw new ValidationError({ participants: [`Ensure this field has no more than ${MAX_PARTICIPANTS} elements.`] })
  const existing = await existingUserIds(db, ids)
  const missing = ids.filter((id) => !existing.has(id))
  if (missing.length > 0) throw new ValidationError({ participants: missing.map((id) => `Invalid pk "${id}" - object does not exist.`) })
  return ids
}

/**
 * The course's `ConversationViewSet.create`: validates the participants (`validateParticipants`), then inserts
 * the conversation (created by the caller, no messages yet) and one participant row per member through `trx`.
 *
 * @example
 * await createConversation(trx, alice, [bob], Date.now()) // { conversationId: '…', participantIds: [alice, bob] }
 */
export async function createConversation(trx: Knex.Transaction, callerId: string, requested: readonly string[], now: number): Promise<{ conversationId: string; participantIds: string[] }> {
  const participantIds = await validateParticipants(trx, callerId, requested)
  const conversationId = randomUUID()
  await trx('conversations').insert({ conversation_id: conversationId, created_by: callerId, created_at: now, last_seq: 0, message_count: 0 })
  await trx('conversation_participants').insert(participantIds.map((user_id) => ({ conversation_id: conversationId, user_id, joined_at: now, last_read_seq: 0, unread_count: 0 })))
  return { conversationId, participantIds }
}
