import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import type { FastReads } from '../db/fast-reads'
import { outsiderError, type ConversationAction } from '../conversations/permissions'
import { conversationExists, findMembership, participantIds, type Membership } from '../conversations/repository'
import { inTransaction } from '../db/unit-of-work'
import { NotFoundError, PermissionDeniedError, ValidationError } from '../errors'
import type { DomainEvents } from '../events/domain-events'
import type { Message, ThreadNode } from '../http/schemas'
import { bumpInboxes, type AuthUser } from '../users/repository'
import { PageCache } from './page-cache'
import { buildReplyTree } from './reply-tree'
import { unreadForUser } from './unread'
import { findMessage, selectMessages, toMessage, toRecord, type MessageRow } from './repository'

/** The longest message body accepted (longer is a 400). */
export const MAX_MESSAGE_LENGTH = 10_000

/** The original MessageFilter's fields, parsed. */
export interface MessageFilters {
  /** Only messages sent by this user id. */
  readonly sender?: string | undefined
  /** Only messages of conversations this user id takes part in. */
  readonly participant?: string | undefined
  /** Only messages of this conversation (flat list). */
  readonly conversation?: string | undefined
  /** `sent_at >=` this epoch ms. */
  readonly startDate?: number | undefined
  /** `sent_at <=` this epoch ms. */
  readonly endDate?: number | undefined
  /** Oldest first unless `desc`. @default 'asc' */
  readonly order?: 'asc' | 'desc'
}

/** A keyset window of history: never a duplicate or a gap, whatever arrives between two calls. */
export interface CursorWindow {
  readonly results: Message[]
  /** True when older messages exist before `results[0]`. */
  readonly hasOlder: boolean
  /** True when newer messages exist after the last result (only known for `after`). */
  readonly hasNewer: boolean
}

/** A past body of an edited message. */
export interface HistoryEntry {
  readonly history_id: string
  readonly old_body: string
  readonly edited_by: string | null
  readonly edited_at: number
}

const PAGE_SQL = `SELECT m.message_id, m.conversation_id, m.sender_id, m.parent_message_id, m.seq, m.message_body, m.sent_at, m.edited_at,
       u.first_name, u.last_name, u.email
  FROM messages m JOIN users u ON u.user_id = m.sender_id
 WHERE m.conversation_id = ?`
const PAGE_ASC_SQL = `${PAGE_SQL} ORDER BY m.seq ASC LIMIT ? OFFSET ?`
const PAGE_DESC_SQL = `${PAGE_SQL} ORDER BY m.seq DESC LIMIT ? OFFSET ?`

function hasFilters(filters: MessageFilters): boolean {
  return filters.sender !== undefined || filters.participant !== undefined || filters.startDate !== undefined || filters.endDate !== undefined || filters.conversation !== undefined
}

function applyFilters(query: Knex.QueryBuilder, filters: MessageFilters): void {
  if (filters.sender !== undefined) query.where('m.sender_id', filters.sender)
  if (filters.conversation !== undefined) query.where('m.conversation_id', filters.conversation)
  if (filters.startDate !== undefined) query.where('m.sent_at', '>=', filters.startDate)
  if (filters.endDate !== undefined) query.where('m.sent_at', '<=', filters.endDate)
  if (filters.participant !== undefined) {
    const participant = filters.participant
    query.whereExists(function participantFilter() {
      void this.select('*').from('conversation_participants as fp').whereRaw('fp.conversation_id = m.conversation_id').andWhere('fp.user_id', participant)
    })
  }
}

function cleanBody(field: string, body: string): string {
  // DRF's CharField trims surrounding whitespace and refuses what is left blank.
  const trimmed = body.trim()
  if (trimmed.length === 0) throw new ValidationError({ [field]: ['This field may not be blank.'] })
  if (trimmed.length > MAX_MESSAGE_LENGTH) throw new ValidationError({ [field]: [`Ensure this field has no more than ${MAX_MESSAGE_LENGTH} characters.`] })
  return trimmed
}

/**
 * Messages inside conversations: every method checks the caller's membership itself, so no route can
 * forget to. Changes run in one transaction with their domain events (notifications, history, outbox).
 *
 * @example
 * const messages = new MessageService(knex, new FastReads(knex, 'sqlite'), domainEvents)
 * const message = await messages.send(caller, conversationId, { message_body: 'hi' })
 */
export class MessageService {
  readonly #db: Knex
  readonly #reads: FastReads
  readonly #events: DomainEvents
  readonly #cacheSize: number
  #pages: PageCache<Message[]> | undefined

  constructor(db: Knex, reads: FastReads, events: DomainEvents, options: { readonly cacheSize?: number } = {}) {
    this.#db = db
    this.#reads = reads
    this.#events = events
    // Built on first use (task 18's class), never with `cacheSize: 0`: building the app runs no task code.
    this.#cacheSize = options.cacheSize ?? 1000
  }

  async #member(caller: AuthUser, conversationId: string, action: ConversationAction = 'view', options: { flat?: boolean } = {}): Promise<Membership> {
    const membership = await findMembership(this.#reads, conversationId, caller.user_id)
    // Task 6's decision runs only for a caller who is not a participant.
    if (!membership) throw outsiderError({ action, conversationId, conversationExists: await conversationExists(this.#db, conversationId), ...options })
    return membership
  }

  /** A page of a conversation's messages (404 for non-participants), and the total matching. */
  async list(caller: AuthUser, conversationId: string, filters: MessageFilters, page: { offset: number; limit: number }): Promise<{ count: number; results: Message[] }> {
    const membership = await this.#member(caller, conversationId)
    if (!hasFilters(filters) && this.#cacheSize === 0) {
      const rows = await this.#reads.all<MessageRow>(filters.order === 'desc' ? PAGE_DESC_SQL : PAGE_ASC_SQL, [conversationId, page.limit, page.offset])
      return { count: membership.message_count, results: rows.map(toMessage) }
    }
    if (!hasFilters(filters)) {
      const pages = (this.#pages ??= new PageCache(this.#cacheSize))
      // The hot path: pages are cached under the conversation's version, which every change bumps in the
      // same transaction, and the version is read on each request: a hit is never stale, on any instance.
      const key = `${conversationId}|${membership.version}|${filters.order ?? 'asc'}|${page.offset}|${page.limit}`
      let results = pages.get(key)
      if (!results) {
        const rows = await this.#reads.all<MessageRow>(filters.order === 'desc' ? PAGE_DESC_SQL : PAGE_ASC_SQL, [conversationId, page.limit, page.offset])
        results = rows.map(toMessage)
        pages.set(key, results)
      }
      return { count: membership.message_count, results }
    }
    const query = selectMessages(this.#db).where('m.conversation_id', conversationId)
    applyFilters(query, filters)
    const counter = this.#db('messages as m').where('m.conversation_id', conversationId).count({ n: '*' })
    applyFilters(counter, filters)
    const count = Number(((await counter.first()) as { n: number | string }).n)
    const rows = await query.orderBy('m.seq', filters.order ?? 'asc').offset(page.offset).limit(page.limit)
    return { count, results: rows.map(toMessage) }
  }

  async #seqOf(field: string, conversationId: string, messageId: string): Promise<number> {
    const row = await this.#db('messages').select('seq').where({ conversation_id: conversationId, message_id: messageId }).first<{ seq: number | string } | undefined>()
    if (!row) throw new ValidationError({ [field]: [`Invalid pk "${messageId}" - object does not exist.`] })
    return Number(row.seq)
  }

  /** Keyset history: up to `limit` messages just before (or after) one message, oldest first. */
  async window(caller: AuthUser, conversationId: string, cursor: { before?: string | undefined; after?: string | undefined }, limit: number, filters: MessageFilters = {}): Promise<CursorWindow> {
    await this.#member(caller, conversationId)
    const query = selectMessages(this.#db).where('m.conversation_id', conversationId)
    applyFilters(query, filters)
    if (cursor.before !== undefined) {
      const seq = await this.#seqOf('before', conversationId, cursor.before)
      const rows = await query.where('m.seq', '<', seq).orderBy('m.seq', 'desc').limit(limit + 1)
      const hasOlder = rows.length > limit
      return { results: rows.slice(0, limit).reverse().map(toMessage), hasOlder, hasNewer: true }
    }
    const seq = cursor.after === undefined ? 0 : await this.#seqOf('after', conversationId, cursor.after)
    const rows = await query.where('m.seq', '>', seq).orderBy('m.seq', 'asc').limit(limit + 1)
    return { results: rows.slice(0, limit).map(toMessage), hasOlder: seq > 1, hasNewer: rows.length > limit }
  }

  /** Messages of all the caller's conversations (the flat `/api/messages/`). */
  async listAll(caller: AuthUser, filters: MessageFilters, page: { offset: number; limit: number }): Promise<{ count: number; results: Message[] }> {
    const mine = this.#db('conversation_participants').select('conversation_id').where('user_id', caller.user_id)
    const query = selectMessages(this.#db).whereIn('m.conversation_id', mine)
    applyFilters(query, filters)
    const counter = this.#db('messages as m').whereIn('m.conversation_id', mine).count({ n: '*' })
    applyFilters(counter, filters)
    const order = filters.order ?? 'asc'
    const [countRow, rows] = await Promise.all([
      counter.first() as Promise<{ n: number | string }>,
      query.orderBy([{ column: 'm.sent_at', order }, { column: 'm.message_id', order }]).offset(page.offset).limit(page.limit),
    ])
    return { count: Number(countRow.n), results: rows.map(toMessage) }
  }

  /** The caller's unread messages (task 17's `unreadForUser`), oldest first. */
  async unread(caller: AuthUser, page: { offset: number; limit: number }): Promise<{ count: number; results: Message[] }> {
    return unreadForUser(this.#db, caller.user_id, page)
  }

  /** One message of a conversation the caller is in; 404 otherwise. */
  async get(caller: AuthUser, conversationId: string, messageId: string): Promise<Message> {
    await this.#member(caller, conversationId)
    const row = await findMessage(this.#db, conversationId, messageId)
    if (!row) throw new NotFoundError()
    return toMessage(row)
  }

  /**
   * Sends a message as the caller. A non-participant posting into an existing conversation gets 403 (as
   * the original); into one that does not exist, 404 (or a 400 on `conversation` for the flat route).
   */
  async send(caller: AuthUser, conversationId: string, input: { message_body: string; parent_message?: string | null | undefined }, options: { flat?: boolean } = {}): Promise<Message> {
    await this.#member(caller, conversationId, 'send', options)
    const body = cleanBody('message_body', input.message_body)
    const parent = input.parent_message ?? null
    if (parent !== null) {
      const exists: unknown = await this.#db('messages').select('message_id').where({ message_id: parent, conversation_id: conversationId }).first()
      if (!exists) throw new ValidationError({ parent_message: [`Invalid pk "${parent}" - object does not exist.`] })
    }
    const messageId = randomUUID()
    await inTransaction(this.#db, async (uow) => {
      const { trx } = uow
      // The UPDATE takes the conversation's row lock until commit, so `seq` order is commit order.
      await trx('conversations').where({ conversation_id: conversationId }).update({ last_seq: trx.raw('last_seq + 1'), message_count: trx.raw('message_count + 1'), version: trx.raw('version + 1') })
      const { last_seq } = (await trx('conversations').select('last_seq').where({ conversation_id: conversationId }).first()) as { last_seq: number | string }
      const row = { message_id: messageId, conversation_id: conversationId, sender_id: caller.user_id, parent_message_id: parent, seq: Number(last_seq), message_body: body, sent_at: Date.now(), edited_at: null }
      await trx('messages').insert(row)
      await this.#events.emit('message.created', { uow, message: toRecord(row), recipients: await participantIds(trx, conversationId) })
    })
    return this.get(caller, conversationId, messageId)
  }

  async #own(caller: AuthUser, conversationId: string, messageId: string, verb: 'edit' | 'delete'): Promise<MessageRow> {
    await this.#member(caller, conversationId, verb === 'edit' ? 'update' : 'delete')
    const row = await findMessage(this.#db, conversationId, messageId)
    if (!row) throw new NotFoundError()
    if (row.sender_id !== caller.user_id) throw new PermissionDeniedError(`You can only ${verb} your own messages.`)
    return row
  }

  /** Edits the caller's own message: the old body goes to history and `edited_at` is set. */
  async edit(caller: AuthUser, conversationId: string, messageId: string, input: { message_body?: string | undefined }): Promise<Message> {
    const row = await this.#own(caller, conversationId, messageId, 'edit')
    if (input.message_body === undefined) return toMessage(row)
    const body = cleanBody('message_body', input.message_body)
    if (body === row.message_body) return toMessage(row)
    await inTransaction(this.#db, async (uow) => {
      const at = Date.now()
      const before = toRecord(row)
      await this.#events.emit('message.editing', { uow, before, newBody: body, editorId: caller.user_id, at })
      await uow.trx('messages').where({ message_id: messageId }).update({ message_body: body, edited_at: at })
      await uow.trx('conversations').where({ conversation_id: conversationId }).update({ version: uow.trx.raw('version + 1') })
      const recipients = await participantIds(uow.trx, conversationId)
      await this.#events.emit('message.updated', { uow, message: { ...before, message_body: body, edited_at: at }, recipients })
    })
    return this.get(caller, conversationId, messageId)
  }

  /** Deletes the caller's own message with its notifications and history; replies become top-level. */
  async delete(caller: AuthUser, conversationId: string, messageId: string): Promise<void> {
    const row = await this.#own(caller, conversationId, messageId, 'delete')
    const record = toRecord(row)
    await inTransaction(this.#db, async (uow) => {
      const { trx } = uow
      await trx('notifications').where({ message_id: messageId }).delete()
      await trx('message_history').where({ message_id: messageId }).delete()
      await trx('messages').where({ parent_message_id: messageId }).update({ parent_message_id: null })
      await trx('messages').where({ message_id: messageId }).delete()
      await trx('conversations').where({ conversation_id: conversationId }).update({ message_count: trx.raw('message_count - 1'), version: trx.raw('version + 1') })
      await trx('conversation_participants')
        .where({ conversation_id: conversationId })
        .andWhereNot('user_id', record.sender_id)
        .andWhere('last_read_seq', '<', record.seq)
        .andWhere('unread_count', '>', 0)
        .update({ unread_count: trx.raw('unread_count - 1') })
      await bumpInboxes(trx, { conversationId })
      await this.#events.emit('message.deleted', { uow, message: record, recipients: await participantIds(trx, conversationId) })
    })
  }

  /** The message and its replies, recursively, as a tree (the original's threaded conversations). */
  async thread(caller: AuthUser, conversationId: string, messageId: string, maxDepth = 50): Promise<ThreadNode> {
    await this.#member(caller, conversationId)
    const rows = (await selectMessages(this.#db)
      .withRecursive('thread', ['message_id', 'depth'], (cte) => {
        void cte
          .select('message_id', this.#db.raw('0'))
          .from('messages')
          .where({ message_id: messageId, conversation_id: conversationId })
          .unionAll((next) => {
            void next
              .select('r.message_id', this.#db.raw('t.depth + 1'))
              .from('messages as r')
              .join('thread as t', 'r.parent_message_id', 't.message_id')
              .where('t.depth', '<', maxDepth)
          })
      })
      .join('thread as th', 'th.message_id', 'm.message_id')
      .orderBy('m.seq'))
    if (rows.length === 0) throw new NotFoundError()
    const root = buildReplyTree(rows.map(toMessage), messageId)
    if (!root) throw new NotFoundError()
    return root
  }

  /** The past bodies of a message, oldest first. */
  async history(caller: AuthUser, conversationId: string, messageId: string): Promise<HistoryEntry[]> {
    await this.get(caller, conversationId, messageId)
    const rows = (await this.#db('message_history').select('history_id', 'old_body', 'edited_by', 'edited_at').where({ message_id: messageId }).orderBy([{ column: 'edited_at' }, { column: 'history_id' }])) as Array<Omit<HistoryEntry, 'edited_at'> & { edited_at: number | string }>
    return rows.map((r) => ({ ...r, edited_at: Number(r.edited_at) }))
  }

  /** Marks the conversation read up to a message (default: all of it); returns the unread count left. */
  async markRead(caller: AuthUser, conversationId: string, upTo: string | undefined): Promise<{ last_read_seq: number; unread_count: number }> {
    const membership = await this.#member(caller, conversationId)
    const target = upTo === undefined ? membership.last_seq : await this.#seqOf('up_to', conversationId, upTo)
    const lastRead = Math.max(membership.last_read_seq, target)
    return inTransaction(this.#db, async ({ trx }) => {
      const unreadRow = (await trx('messages').where('conversation_id', conversationId).andWhere('seq', '>', lastRead).andWhereNot('sender_id', caller.user_id).count({ n: '*' }).first()) as { n: number | string }
      const unread = Number(unreadRow.n)
      await trx('conversation_participants').where({ conversation_id: conversationId, user_id: caller.user_id }).update({ last_read_seq: lastRead, unread_count: unread })
      await bumpInboxes(trx, { userIds: [caller.user_id] })
      const readIds = trx('messages').select('message_id').where('conversation_id', conversationId).andWhere('seq', '<=', lastRead)
      await trx('notifications').where({ user_id: caller.user_id, conversation_id: conversationId, is_read: false }).whereIn('message_id', readIds).update({ is_read: true })
      return { last_read_seq: lastRead, unread_count: unread }
    })
  }
}
