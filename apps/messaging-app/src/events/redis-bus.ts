import { Redis } from 'ioredis'
import { InProcessEventBus, type EventBus, type RealtimeEvent, type RealtimeListener } from './bus'

/** Options of {@link RedisEventBus}. */
export interface RedisEventBusOptions {
  /** Pub/sub channel shared by the instances. @default 'alx:messaging:events' */
  readonly channel?: string
}

/**
 * An event bus over Redis pub/sub, so instances behind a load balancer deliver each other's events:
 * every instance, the publisher included, receives each event from Redis and fans it out locally.
 *
 * @example
 * const bus = await RedisEventBus.connect('redis://127.0.0.1:6379')
 * const app = await buildApp({ db, jwtSecret, eventBus: bus })
 */
export class RedisEventBus implements EventBus {
  readonly #publisher: Redis
  readonly #subscriber: Redis
  readonly #channel: string
  readonly #local = new InProcessEventBus()

  private constructor(publisher: Redis, subscriber: Redis, channel: string) {
    this.#publisher = publisher
    this.#subscriber = subscriber
    this.#channel = channel
    subscriber.on('message', (received: string, text: string) => {
      if (received !== channel) return
      try {
        void this.#local.publish(JSON.parse(text) as RealtimeEvent)
      } catch {
        // A malformed message from another publisher on the channel is dropped, not fatal.
      }
    })
  }

  /** Connects a publisher and a subscriber connection and subscribes to the channel. */
  static async connect(url: string, options: RedisEventBusOptions = {}): Promise<RedisEventBus> {
    if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) {
      throw new TypeError(`Expected \`url\` to be a redis:// URL, got ${JSON.stringify(url)}.`)
    }
    const channel = options.channel ?? 'alx:messaging:events'
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 })
    const subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 })
    try {
      await Promise.all([publisher.connect(), subscriber.connect()])
      await subscriber.subscribe(channel)
    } catch (error) {
      publisher.disconnect()
      subscriber.disconnect()
      throw error
    }
    return new RedisEventBus(publisher, subscriber, channel)
  }

  async publish(event: RealtimeEvent): Promise<void> {
    await this.#publisher.publish(this.#channel, JSON.stringify(event))
  }

  subscribe(listener: RealtimeListener): () => void {
    return this.#local.subscribe(listener)
  }

  async close(): Promise<void> {
    await this.#local.close()
    await Promise.allSettled([this.#subscriber.quit(), this.#publisher.quit()])
  }
}
