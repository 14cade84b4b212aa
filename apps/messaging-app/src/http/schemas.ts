import { Type, type Static, type TSchema } from '@sinclair/typebox'

/** A UUID string (path parameters that fail it answer 404, bodies 400). */
export const Uuid = Type.String({ format: 'uuid' })

/** `T | null`, written as `anyOf` so OpenAPI 3.1 and fast-json-stringify both understand it. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** DRF's error body: `{ "detail": "…" }`, plus a stable machine-readable `code`. */
export const ErrorBody = Type.Object({ detail: Type.String(), code: Type.Optional(Type.String()) })

/** DRF's 400 body: a map from field name to its messages. */
export const FieldErrorsBody = Type.Record(Type.String(), Type.Array(Type.String()))

/** A user as other users see them. */
export const PublicUser = Type.Object({
  user_id: Uuid,
  first_name: Type.String(),
  last_name: Type.String(),
  email: Type.String(),
})
export type PublicUser = Static<typeof PublicUser>

/** The caller's own user record. */
export const Me = Type.Object({
  user_id: Uuid,
  email: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  phone_number: Nullable(Type.String()),
  role: Type.Union([Type.Literal('guest'), Type.Literal('host'), Type.Literal('admin')]),
  created_at: Type.String({ format: 'date-time' }),
})
export type Me = Static<typeof Me>

/** A message as the API returns it. */
export const Message = Type.Object({
  message_id: Uuid,
  conversation: Uuid,
  sender: PublicUser,
  message_body: Type.String(),
  parent_message: Nullable(Uuid),
  sent_at: Type.String({ format: 'date-time' }),
  edited_at: Nullable(Type.String({ format: 'date-time' })),
})
export type Message = Static<typeof Message>

/** A message inside a thread, with its replies nested. */
export interface ThreadNode extends Message {
  replies: ThreadNode[]
}
export const ThreadNode = Type.Recursive((This) => Type.Object({ ...Message.properties, replies: Type.Array(This) }), {
  $id: 'ThreadNode',
})

/** A conversation as the API returns it (messages are paged under `/messages/`, not nested). */
export const Conversation = Type.Object({
  conversation_id: Uuid,
  participants: Type.Array(PublicUser),
  created_at: Type.String({ format: 'date-time' }),
  message_count: Type.Integer(),
  unread_count: Type.Integer(),
})
export type Conversation = Static<typeof Conversation>

/** DRF's PageNumberPagination body. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    count: Type.Integer(),
    next: Nullable(Type.String()),
    previous: Nullable(Type.String()),
    results: Type.Array(item),
  })

/** Query parameters of page-numbered lists (strings, so a bad page answers DRF's 404 `Invalid page.`). */
export const PageQuery = Type.Object({
  page: Type.Optional(Type.String()),
  page_size: Type.Optional(Type.String()),
})

/** Standard error responses for OpenAPI. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, status === 400 ? FieldErrorsBody : ErrorBody]))
