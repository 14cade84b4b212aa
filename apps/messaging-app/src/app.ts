import fastifyJwt from '@fastify/jwt'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import Fastify, { type FastifyInstance, type onRequestHookHandler } from 'fastify'
import { Redis } from 'ioredis'
import { createAuthenticate } from './auth/authenticate'
import { PasswordHasher } from './auth/password'
import { registerAuthRoutes } from './auth/routes'
import { TokenService } from './auth/tokens'
import { resolveConfig, type AppConfig } from './config'
import { FastReads } from './db/fast-reads'
import { registerConversationRoutes } from './conversations/routes'
import { ConversationService } from './conversations/service'
import { ApiError } from './errors'
import { InProcessEventBus } from './events/bus'
import { DomainEvents } from './events/domain-events'
import { DEFAULT_SIGNALS, registerDomainHandlers } from './events/handlers'
import { registerEventRoutes } from './events/sse'
import { installErrorHandling } from './http/error-handler'
import { registerMessageRoutes } from './messages/routes'
import { MessageService } from './messages/service'
import { checkHealth } from './health'
import { registerAccessWindow } from './middleware/access-window-hook'
import { lazyStore } from './middleware/rate-limit-store'
import { redisSlidingWindowStore } from './middleware/redis-sliding-window-store'
import { registerRequestLog } from './middleware/request-log-hook'
import { memorySlidingWindowStore } from './middleware/sliding-window-store'
import { registerUserRoutes } from './users/routes'
import { UserService } from './users/service'

/** How long real-time events are kept for `Last-Event-ID` replay. */
const EVENT_RETENTION_MS = 24 * 60 * 60 * 1000

/**
 * Builds the messaging API on a migrated database (see `migrate`): routes, auth, middleware, domain events,
 * SSE and OpenAPI. The caller owns the database; `app.close()` releases everything the app opened itself.
 *
 * @example
 * const app = await buildApp({ db, jwtSecret: process.env.JWT_SECRET! })
 * const res = await app.inject({ method: 'GET', url: '/health' })
 */
export async function buildApp(options: AppConfig): Promise<FastifyInstance> {
  const config = resolveConfig(options)
  const knex = config.db.knex
  const app = Fastify({
    logger:
      config.logger === false
        ? false
        : {
            level: config.logger === true ? 'info' : config.logger.level,
            // SSE tickets are single-use and short-lived, but still kept out of logs.
            serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.replace(/([?&]ticket=)[^&]*/, '$1[redacted]') }) },
          },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { allErrors: true, removeAdditional: true, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  installErrorHandling(app)
  // JSON only, as DRF's JSONParser: a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain')

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'ALX messaging API', version: '0.1.0', description: 'Conversations and messages with JWT auth (the ALX messaging_app on Fastify).' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })

  await app.register(fastifyJwt, { secret: config.jwtSecret, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'], cache: 10_000 } })

  const redis = config.rateLimit.redisUrl === undefined ? undefined : new Redis(config.rateLimit.redisUrl, { maxRetriesPerRequest: 2 })
  if (redis) app.addHook('onClose', async () => void (await redis.quit()))
  await app.register(rateLimit, {
    global: false,
    // Task 11's store is built on the first counted request (lazyStore), not here.
    store: redis ? redisSlidingWindowStore(redis) : lazyStore(() => memorySlidingWindowStore()),
    keyGenerator: (request) => request.ip,
    // A Redis outage must not take message posting down with it: the limiter fails open.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new ApiError('throttled', `Request was throttled. Expected available in ${Math.max(1, Math.ceil(context.ttl / 1000))} seconds.`),
  })

  registerRequestLog(app, { file: config.requestLogFile, now: config.now })
  if (config.accessWindow) registerAccessWindow(app, config.accessWindow, config.now)

  const bus = config.eventBus ?? new InProcessEventBus()
  if (!config.eventBus) app.addHook('onClose', () => bus.close())
  const domainEvents = new DomainEvents()
  registerDomainHandlers(domainEvents, bus, { ...DEFAULT_SIGNALS, ...config.signals })

  // Task units are built on first use, so building the app runs none of them (see README, "Tasks").
  let hasher: PasswordHasher | undefined
  let tokenService: TokenService | undefined
  const passwords = () => (hasher ??= new PasswordHasher(config.passwordHashing))
  const tokens = () => (tokenService ??= new TokenService(app, knex, { accessTtl: config.accessTokenTtl, refreshTtl: config.refreshTokenTtl }))
  const users = new UserService(knex, passwords, domainEvents)
  const reads = new FastReads(knex, config.db.dialect)
  const authenticate = createAuthenticate(app, reads) as onRequestHookHandler

  registerAuthRoutes(app, { users, tokens })
  registerUserRoutes(app, { users, db: knex, authenticate })
  registerConversationRoutes(app, { conversations: new ConversationService(knex, reads, { cacheSize: config.cacheSize }), authenticate })
  registerMessageRoutes(app, { messages: new MessageService(knex, reads, domainEvents, { cacheSize: config.cacheSize }), authenticate, rateLimit: { max: config.rateLimit.max, timeWindow: config.rateLimit.windowMs } })
  registerEventRoutes(app, { db: knex, bus, authenticate, ticketTtl: config.ticketTtl, heartbeatMs: config.sseHeartbeatMs })

  app.get('/health', { schema: { tags: ['meta'], response: { 200: Type.Object({ status: Type.String(), database: Type.String() }), 503: Type.Object({ status: Type.String(), database: Type.String() }) } } }, async (_request, reply) => {
    const report = await checkHealth(config.db)
    return reply.code(report.status === 'ok' ? 200 : 503).send(report)
  })
  app.get('/api/schema/', { schema: { hide: true } }, () => app.swagger())

  // Housekeeping: expired tickets, refresh tokens and old replayable events.
  const sweep = setInterval(() => {
    const now = Date.now()
    Promise.all([
      knex('event_tickets').where('expires_at', '<', now).delete(),
      Promise.resolve().then(() => tokens().prune()),
      knex('events').where('created_at', '<', now - EVENT_RETENTION_MS).delete(),
    ]).catch((error: unknown) => app.log.warn({ err: error }, 'housekeeping failed'))
  }, 10 * 60 * 1000)
  sweep.unref()
  app.addHook('onClose', () => clearInterval(sweep))

  await app.ready()
  return app
}
