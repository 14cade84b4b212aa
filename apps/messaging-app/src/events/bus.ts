import { EventEmitter } from 'node:events'

/** The real-time event types delivered over SSE. */
export type RealtimeEventType = 'message.created' | 'message.updated' | 'message.deleted'

/** One event on the bus: `id` is the outbox row id, which SSE clients resume from with `Last-Event-ID`. */
export interface RealtimeEvent {
  readonly id: number
  readonly type: RealtimeEventType
  readonly conversation_id: string
  /** The user ids allowed to see it: the conversation's participants when it happened. */
  readonly recipients: readonly string[]
  readonly data: unknown
}

/** A listener of bus events. */
export type RealtimeListener = (event: RealtimeEvent) => void

/**
 * Carries real-time events to every app instance's SSE clients.
 *
 * @example
 * const off = bus.subscribe((event) => send(event))
 * await bus.publish(event)
 * off()
 */
export interface EventBus {
  publish(event: RealtimeEvent): Promise<void>
  subscribe(listener: RealtimeListener): () => void
  close(): Promise<void>
}

/**
 * The default bus: delivers within this process only (one instance, or tests).
 *
 * @example
 * const bus = new InProcessEventBus()
 */
export class InProcessEventBus implements EventBus {
  readonly #emitter = new EventEmitter()

  constructor() {
    // One listener per open SSE stream: the default cap of 10 would warn at the 11th client.
    this.#emitter.setMaxListeners(0)
  }

  publish(event: RealtimeEvent): Promise<void> {
    this.#emitter.emit('event', event)
    return Promise.resolve()
  }

  subscribe(listener: RealtimeListener): () => void {
    this.#emitter.on('event', listener)
    return () => void this.#emitter.off('event', listener)
  }

  close(): Promise<void> {
    this.#emitter.removeAllListeners()
    return Promise.resolve()
  }
}
