import { NotFoundError, PermissionDeniedError, ValidationError, type ApiError } from '../errors'

/** What a caller tried to do with a conversation (or its messages). */
export type ConversationAction = 'view' | 'update' | 'delete' | 'send'

/** A request by someone who is not a participant of the conversation it names. */
export interface OutsiderRequest {
  readonly action: ConversationAction
  readonly conversationId: string
  /** Whether the conversation exists at all. */
  readonly conversationExists: boolean
  /** True for the flat `POST /api/messages/`, where the conversation is a body field. */
  readonly flat?: boolean
}

/**
 * The course's `IsParticipantOfConversation` for a caller who is not a participant: the error the API answers
 * with. Only sending into an existing conversation is a 403; otherwise the conversation does not exist for them.
 *
 * @example
 * outsiderError({ action: 'send', conversationId, conversationExists: true }) // PermissionDeniedError (403)
 * outsiderError({ action: 'view', conversationId, conversationExists: true }) // NotFoundError (404)
 */
export function outsiderError(request: OutsiderRequest): ApiError {
  if (request.action === 'send') {
    if (request.conversationExists) return new PermissionDeniedError('You are not a participant of this conversation.')
    if (request.flat === true) return new ValidationError({ conversation: [`Invalid pk "${request.conversationId}" - object does not exist.`] })
  }
  return new NotFoundError()
}
