import { ApiError, NotFoundError, PermissionDeniedError, ValidationError } from '../errors'

export type ConversationAction = 'view' | 'update' | 'delete' | 'send'

export interface OutsiderRequest {
  readonly action: ConversationAction
  readonly conversationId: string
  readonly conversationExists: boolean
  readonly flat?: boolean
}

/**
 * IsParticipantOfConversation for a caller who is not a participant: the error the API answers with.
 * Sending into an existing conversation is a 403; anything else is a 404 (a conversation you are not in does
 * not exist for you), except that the flat POST /api/messages/ names a missing conversation as a field error.
 */
export function outsiderError(request: OutsiderRequest): ApiError {
  if (request.action === 'send') {
    if (request.conversationExists) {
      return new PermissionDeniedError('You are not a participant of this conversation.')
    }
    if (request.flat) {
      return new ValidationError({ conversation: [`Invalid pk "${request.conversationId}" - object does not exist.`] })
    }
  }
  return new NotFoundError()
}
