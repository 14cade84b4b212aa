import type { FastifyInstance } from 'fastify'
import type { AccessWindow } from '../config'
import { ApiError } from '../errors'
import { isWithinWindow } from './access-window'

/**
 * The course's RestrictAccessByTimeMiddleware, off unless configured: chat routes (`/api/conversations`,
 * `/api/messages`) answer 403 outside the window.
 *
 * @example
 * registerAccessWindow(app, { start: '18:00', end: '21:00' }, () => new Date())
 */
export function registerAccessWindow(app: FastifyInstance, window: AccessWindow, now: () => Date): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const path = request.url
    if ((path.startsWith('/api/conversations') || path.startsWith('/api/messages')) && !isWithinWindow(window, now())) {
      done(new ApiError('outside_access_window', `The chat is open from ${window.start} to ${window.end} (${window.timeZone ?? 'UTC'}) only.`))
      return
    }
    done()
  })
}
