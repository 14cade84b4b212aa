import type { Knex } from 'knex'
import type { FastReads } from '../db/fast-reads'
import { inTransaction } from '../db/unit-of-work'
import type { Conversation } from '../http/schemas'
import type { AuthUser } from '../users/repository'
import { bumpInboxes } from '../users/repository'
import { PageCache } from '../messages/page-cache'
import { createConversation, validateParticipants } from './create'
import { outsiderError, type ConversationAction } from './permissions'
import { conversationExists, countConversations, findMembership, getConversation, listConversations, participantIds, type Membership } from './repository'

export { MAX_PARTICIPANTS } from './repository'

/**
 * Conversations of the caller: only participants see or change one, and a conversation someone is not in
 * answers as if it did not exist.
 *
 * @example
 * const service = new ConversationService(knex, new FastReads(knex, 'sqlite'))
 * const conversation = await service.create(caller, [otherUserId])
 */
export class ConversationService {
  readonly #db: Knex
  readonly #reads: FastReads
  readonly #cacheSize: number
  #lists: PageCache<{ count: number; results: Conversation[] }> | undefined

  constructor(db: Knex, reads: FastReads, options: { readonly cacheSize?: number } = {}) {
    this.#db = db
    this.#reads = reads
    // Built on first use (task 18's class), never with `cacheSize: 0`: building the app runs no task code.
    this.#cacheSize = options.cacheSize ?? 1000
  }

  /** A page of the caller's conversations and their total. */
  async list(caller: AuthUser, page: { offset: number; limit: number }): Promise<{ count: number; results: Conversation[] }> {
    // Cached under the caller's inbox version, read with their identity on this request and bumped in the
    // transaction of every change to the list: a hit is never stale.
    const read = async () => {
      const [count, results] = await Promise.all([countConversations(this.#reads, caller.user_id), listConversations(this.#reads, caller.user_id, page)])
      return { count, results }
    }
    if (this.#cacheSize === 0) return read()
    const lists = (this.#lists ??= new PageCache(this.#cacheSize))
    const key = `${caller.user_id}|${caller.inbox_version}|${page.offset}|${page.limit}`
    const hit = lists.get(key)
    if (hit) return hit
    const { count, results } = await read()
    lists.set(key, { count, results })
    return { count, results }
  }

  /** One of the caller's conversations; 404 otherwise. */
  async get(caller: AuthUser, conversationId: string): Promise<Conversation> {
    const conversation = await getConversation(this.#reads, conversationId, caller.user_id)
    if (!conversation) throw await this.#outsider('view', conversationId)
    return conversation
  }

  // Task 6's decision runs only for a caller who is not a participant.
  async #outsider(action: ConversationAction, conversationId: string): Promise<Error> {
    return outsiderError({ action, conversationId, conversationExists: await conversationExists(this.#db, conversationId) })
  }

  async #member(caller: AuthUser, conversationId: string, action: ConversationAction): Promise<Membership> {
    const membership = await findMembership(this.#reads, conversationId, caller.user_id)
    if (!membership) throw await this.#outsider(action, conversationId)
    return membership
  }

  /** Creates a conversation between the caller and `participants` (task 3's `createConversation`). */
  async create(caller: AuthUser, participants: readonly string[]): Promise<Conversation> {
    const conversationId = await inTransaction(this.#db, async ({ trx }) => {
      const created = await createConversation(trx, caller.user_id, participants, Date.now())
      await bumpInboxes(trx, { userIds: created.participantIds })
      return created.conversationId
    })
    return this.get(caller, conversationId)
  }

  /** Replaces the participant list (PATCH); the caller must stay in it. */
  async update(caller: AuthUser, conversationId: string, participants: readonly string[] | undefined): Promise<Conversation> {
    const membership = await this.#member(caller, conversationId, 'update')
    if (participants !== undefined) {
      const ids = await validateParticipants(this.#db, caller.user_id, participants)
      await inTransaction(this.#db, async ({ trx }) => {
        const current = new Set(await participantIds(trx, conversationId))
        const removed = [...current].filter((id) => !ids.includes(id))
        const added = ids.filter((id) => !current.has(id))
        await bumpInboxes(trx, { userIds: [...new Set([...current, ...ids])] })
        if (removed.length > 0) await trx('conversation_participants').where({ conversation_id: conversationId }).whereIn('user_id', removed).delete()
        if (added.length > 0) {
          const now = Date.now()
          // Newcomers start with the history read, as in most chat apps: unread counts only what arrives next.
          await trx('conversation_participants').insert(added.map((user_id) => ({ conversation_id: conversationId, user_id, joined_at: now, last_read_seq: membership.last_seq, unread_count: 0 })))
        }
      })
    }
    return this.get(caller, conversationId)
  }

  /** Deletes a conversation with its messages, histories and notifications; 404 for non-participants. */
  async delete(caller: AuthUser, conversationId: string): Promise<void> {
    await this.#member(caller, conversationId, 'delete')
    await inTransaction(this.#db, async ({ trx }) => {
      const messageIds = trx('messages').select('message_id').where({ conversation_id: conversationId })
      await trx('notifications').where({ conversation_id: conversationId }).delete()
      await trx('message_history').whereIn('message_id', messageIds).delete()
      // Replies point at messages of the same conversation: unlink them so the deletes need no FK order.
      await trx('messages').where({ conversation_id: conversationId }).whereNotNull('parent_message_id').update({ parent_message_id: null })
      await trx('messages').where({ conversation_id: conversationId }).delete()
      await trx('events').where({ conversation_id: conversationId }).delete()
      await bumpInboxes(trx, { conversationId })
      await trx('conversation_participants').where({ conversation_id: conversationId }).delete()
      await trx('conversations').where({ conversation_id: conversationId }).delete()
    })
  }
}
