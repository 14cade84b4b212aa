/** The names of the API's routes, as DRF's routers name them. */
export type RouteName = 'conversation-list' | 'conversation-detail' | 'conversation-messages-list' | 'conversation-messages-detail' | 'message-list'

/** The path parameters a route may need. */
export interface RouteParams {
  readonly conversationId?: string
  readonly messageId?: string
}

function need(name: RouteName, params: RouteParams, key: keyof RouteParams): string {
  const value = params[key]
  if (value === undefined || value === '') throw new TypeError(`Reverse for '${name}' needs \`${key}\`.`)
  return encodeURIComponent(value)
}

/**
 * Django's `reverse()` over the routes of a `DefaultRouter` (conversations, the flat messages) and a
 * `NestedDefaultRouter` (messages under their conversation): the path of a named route, trailing slash included.
 *
 * @example
 * reverse('conversation-messages-detail', { conversationId: 'c1', messageId: 'm1' }) // '/api/conversations/c1/messages/m1/'
 */
export function reverse(name: RouteName, params: RouteParams = {}): string {
  switch (name) {
    case 'conversation-list':
      return '/api/conversations/'
    case 'conversation-detail':
      return `/api/conversations/${need(name, params, 'conversationId')}/`
    case 'conversation-messages-list':
      return `/api/conversations/${need(name, params, 'conversationId')}/messages/`
    case 'conversation-messages-detail':
      return `/api/conversations/${need(name, params, 'conversationId')}/messages/${need(name, params, 'messageId')}/`
    case 'message-list':
      return '/api/messages/'
    default:
      throw new TypeError(`Reverse for '${String(name)}' not found.`)
  }
}
