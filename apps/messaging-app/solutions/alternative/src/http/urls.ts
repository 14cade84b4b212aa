export type RouteName = 'conversation-list' | 'conversation-detail' | 'conversation-messages-list' | 'conversation-messages-detail' | 'message-list'

export interface RouteParams {
  readonly conversationId?: string
  readonly messageId?: string
}

/** A parameter of the path, percent-encoded; a missing or empty one is Django's NoReverseMatch. */
function param(name: RouteName, params: RouteParams, key: keyof RouteParams): string {
  const value = params[key]
  if (value === undefined || value === '') {
    throw new TypeError(`Reverse for '${name}' needs \`${key}\`.`)
  }
  return encodeURIComponent(value)
}

/** Django's reverse() for the routers' named routes: the path, trailing slash included. */
export function reverse(name: RouteName, params: RouteParams = {}): string {
  switch (name) {
    case 'conversation-list':
      return '/api/conversations/'
    case 'conversation-detail':
      return `/api/conversations/${param(name, params, 'conversationId')}/`
    case 'conversation-messages-list':
      return `/api/conversations/${param(name, params, 'conversationId')}/messages/`
    case 'conversation-messages-detail': {
      const conversationId = param(name, params, 'conversationId')
      const messageId = param(name, params, 'messageId')
      return `/api/conversations/${conversationId}/messages/${messageId}/`
    }
    case 'message-list':
      return '/api/messages/'
    default:
      throw new TypeError(`Reverse for '${String(name)}' not found.`)
  }
}
