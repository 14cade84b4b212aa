import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { ValidationError } from '../errors'
import { existingUserIds } from '../users/repository'
import { MAX_PARTICIPANTS } from './repository'

/**
 * The members of a new conversation: the caller first, then the requested ids lower-cased, each once.
 * Throws a ValidationError on `participants` when the conversation would be the caller alone, too big, or
 * names users that do not exist.
 */
export async function validateParticipants(db: Knex, callerId: string, requested: readonly string[]): Promise<string[]> {
  const members: string[] = [callerId]
  for (const id of requested) {
    const lower = id.toLowerCase()
    if (!members.includes(lower)) members.push(lower)
  }

  if (members.length < 2) {
    throw new ValidationError({ participants: ['A conversation needs at least two participants.'] })
  }
  if (members.length > MAX_PARTICIPANTS) {
    throw new ValidationError({ participants: [`Ensure this field has no more than ${MAX_PARTICIPANTS} elements.`] })
  }

  const others = members.slice(1)
  const existing = await existingUserIds(db, others)
  const errors: string[] = []
  for (const id of others) {
    if (!existing.has(id)) errors.push(`Invalid pk "${id}" - object does not exist.`)
  }
  if (errors.length > 0) throw new ValidationError({ participants: errors })

  return members
}

/** ConversationViewSet.create: validates the participants, then inserts the conversation and its members. */
export async function createConversation(
  trx: Knex.Transaction,
  callerId: string,
  requested: readonly string[],
  now: number,
): Promise<{ conversationId: string; participantIds: string[] }> {
  const participantIds = await validateParticipants(trx, callerId, requested)
  const conversationId = randomUUID()

  await trx('conversations').insert({
    conversation_id: conversationId,
    created_by: callerId,
    created_at: now,
    last_seq: 0,
    message_count: 0,
  })
  await trx('conversation_participants').insert(
    participantIds.map((userId) => ({
      conversation_id: conversationId,
      user_id: userId,
      joined_at: now,
      last_read_seq: 0,
      unread_count: 0,
    })),
  )
  return { conversationId, participantIds }
}
