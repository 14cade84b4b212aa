import { createWriteStream, type WriteStream } from 'node:fs'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requestLogLine } from './request-log'

/**
 * Installs task 9's request log as an `onResponse` hook (so the user is known): one line per request,
 * appended to `file` when given, else logged through pino. A line that cannot be built is logged as a
 * warning and never affects the response.
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
  app.addHook('onResponse', (request: FastifyRequest, _reply, done) => {
    try {
      const line = requestLogLine(request, options.now())
      if (sink) sink.write(`${line}\n`)
      else request.log.info({ requestLog: true }, line)
    } catch (error) {
      request.log.warn({ err: error }, 'request log line failed')
    }
    done()
  })
}
