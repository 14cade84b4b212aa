import { createWriteStream, type WriteStream } from 'node:fs'
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify'
import { callerOf } from '../auth/authenticate'

/**
 * Formats the course's request log line: `<timestamp> - User: <email|Anonymous> - Path: <path>`.
 *
 * @example
 * formatRequestLine(new Date(0), undefined, '/api/x/') // '1970-01-01T00:00:00.000Z - User: Anonymous - Path: /api/x/'
 */
export function formatRequestLine(at: Date, user: string | undefined, path: string): string {
  return `${at.toISOString()} - User: ${user ?? 'Anonymous'} - Path: ${path}`
}

/**
 * The course's RequestLoggingMiddleware as an `onResponse` hook (so the user is known): appends a line per
 * request to `file` when given, else logs it through pino.
 *
 * @example
 * registerRequestLog(app, { file: 'requests.log', now: () => new Date() })
 */
export function registerRequestLog(app: FastifyInstance, options: { readonly file?: string | undefined; readonly now: () => Date }): void {
  let stream: WriteStream | undefined
  if (options.file !== undefined) {
    stream = createWriteStream(options.file, { flags: 'a' })
    const opened = stream
    app.addHook('onClose', (_instance, done) => void opened.end(done))
  }
  const sink = stream
  const write = (log: FastifyBaseLogger, line: string) => {
    if (sink) sink.write(`${line}\n`)
    else log.info({ requestLog: true }, line)
  }
  app.addHook('onResponse', (request: FastifyRequest, _reply, done) => {
    const path = request.url.split('?', 1)[0] ?? request.url
    write(request.log, formatRequestLine(options.now(), callerOf(request)?.email, path))
    done()
  })
}
