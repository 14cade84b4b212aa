import type { Message, ThreadNode } from '../http/schemas'

/** Nests the replies below `rootId` (at any depth), each node keeping its replies in input order. */
export function buildReplyTree(messages: readonly Message[], rootId: string): ThreadNode | undefined {
  const root = messages.find((message) => message.message_id === rootId)
  if (root === undefined) return undefined

  // group the messages by the id of their parent
  const childrenOf = new Map<string, Message[]>()
  for (const message of messages) {
    if (message.parent_message === null) continue
    const siblings = childrenOf.get(message.parent_message) ?? []
    siblings.push(message)
    childrenOf.set(message.parent_message, siblings)
  }

  const visited = new Set<string>()
  function toNode(message: Message): ThreadNode {
    visited.add(message.message_id)
    const children = (childrenOf.get(message.message_id) ?? []).filter((child) => !visited.has(child.message_id))
    return { ...message, replies: children.map(toNode) }
  }
  return toNode(root)
}
