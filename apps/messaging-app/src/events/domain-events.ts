import type { UnitOfWork } from '../db/unit-of-work'

/** A stored message, as domain event handlers see it. */
export interface MessageRecord {
  readonly message_id: string
  readonly conversation_id: string
  readonly sender_id: string
  readonly parent_message_id: string | null
  readonly seq: number
  readonly message_body: string
  readonly sent_at: number
  readonly edited_at: number | null
}

/**
 * The course's Django signals as explicit, typed domain events. Handlers run inside the transaction of
 * the change (`uow.trx`), so a notification or a history row exists exactly when the change does.
 */
export interface DomainEventMap {
  /** After a message row is inserted (post_save, created). */
  'message.created': { readonly uow: UnitOfWork; readonly message: MessageRecord; readonly recipients: readonly string[] }
  /** Before a message's body changes (pre_save): `before` still holds the old body. */
  'message.editing': { readonly uow: UnitOfWork; readonly before: MessageRecord; readonly newBody: string; readonly editorId: string; readonly at: number }
  /** After a message's body changed. */
  'message.updated': { readonly uow: UnitOfWork; readonly message: MessageRecord; readonly recipients: readonly string[] }
  /** After a message row is deleted. */
  'message.deleted': { readonly uow: UnitOfWork; readonly message: MessageRecord; readonly recipients: readonly string[] }
  /** Before a user row is deleted (their data goes in the same transaction). */
  'user.deleting': { readonly uow: UnitOfWork; readonly userId: string }
}

/** A handler for domain event `K`. */
export type DomainEventHandler<K extends keyof DomainEventMap> = (event: DomainEventMap[K]) => Promise<void> | void

/**
 * A synchronous, in-transaction dispatcher: `emit` awaits every handler in registration order, and a
 * handler that throws rolls the whole change back.
 *
 * @example
 * const events = new DomainEvents()
 * events.on('message.created', async ({ uow, message }) => { await uow.trx('notifications').insert(...) })
 */
export class DomainEvents {
  readonly #handlers = new Map<keyof DomainEventMap, Array<DomainEventHandler<never>>>()

  /** Registers `handler` for `type`; returns a function that removes it. */
  on<K extends keyof DomainEventMap>(type: K, handler: DomainEventHandler<K>): () => void {
    const list = this.#handlers.get(type) ?? []
    list.push(handler)
    this.#handlers.set(type, list)
    return () => {
      const index = list.indexOf(handler)
      if (index >= 0) list.splice(index, 1)
    }
  }

  /** Runs every handler of `type` in order. */
  async emit<K extends keyof DomainEventMap>(type: K, event: DomainEventMap[K]): Promise<void> {
    for (const handler of this.#handlers.get(type) ?? []) {
      await (handler as DomainEventHandler<K>)(event)
    }
  }
}
