import type { Message, ThreadNode } from '../http/schemas'

/**
 * The course's recursive reply helper: builds the nested reply tree of message `rootId` from `messages`
 * (the root and its replies at any depth, in any order, as the API shapes them). Each node is the message
 * with `replies`: the nodes whose `parent_message` is its `message_id`, in the order they appear in
 * `messages`. Messages not below the root are ignored; `undefined` when the root is not in `messages`.
 *
 * @example
 * buildReplyTree([root, reply, replyToReply], root.message_id)
 * // { ...root, replies: [{ ...reply, replies: [{ ...replyToReply, replies: [] }] }] }
 */
export function buildReplyTree(messages: readonly Message[], rootId: string): ThreadNode | undefined {
  const nodes = new Map<string, ThreadNode>(messages.map((m) => [m.message_id, { ...m, replies: [] }]))
  const root = nodes.get(rootId)
  if (!root) return undefined
  for (const node of nodes.values()) {
    if (node.message_id !== rootId && node.parent_message !== null) nodes.get(node.parent_message)?.replies.push(node)
  }
  // Only what hangs below the root: a message whose chain does not reach it is dropped with its subtree.
  const reachable = new Set<ThreadNode>()
  const walk = (node: ThreadNode): void => {
    if (reachable.has(node)) return
    reachable.add(node)
    node.replies.forEach(walk)
  }
  walk(root)
  for (const node of reachable) node.replies = node.replies.filter((r) => reachable.has(r))
  return root
}
