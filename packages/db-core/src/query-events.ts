import type { AnyDatabase } from './database'

/** One finished query, as seen by `onQuery` listeners. Parameter values are never included. */
export interface QueryEvent {
  /** The SQL with placeholders, exactly as sent. */
  readonly sql: string
  /** How many parameters were bound (their values are deliberately not exposed). */
  readonly bindingCount: number
  readonly durationMs: number
  readonly ok: boolean
  readonly error?: Error
}

interface KnexQueryData {
  __knexQueryUid?: string
  sql?: string
  bindings?: unknown[]
}

/**
 * Subscribes to every query the handle's knex runs, with its duration and outcome; returns the unsubscribe.
 * @example
 * const off = onQuery(db, (e) => logger.info({ sql: e.sql, ms: e.durationMs }, 'query')); off()
 */
export function onQuery(db: AnyDatabase, listener: (event: QueryEvent) => void): () => void {
  const started = new Map<string, number>()
  const onStart = (data: KnexQueryData): void => {
    if (data.__knexQueryUid) started.set(data.__knexQueryUid, performance.now())
  }
  const finish = (data: KnexQueryData, error?: Error): void => {
    const uid = data.__knexQueryUid ?? ''
    const t0 = started.get(uid)
    started.delete(uid)
    listener({
      sql: data.sql ?? '',
      bindingCount: data.bindings?.length ?? 0,
      durationMs: t0 === undefined ? 0 : performance.now() - t0,
      ok: error === undefined,
      ...(error ? { error } : {}),
    })
  }
  const onResponse = (_response: unknown, data: KnexQueryData): void => finish(data)
  const onError = (error: Error, data: KnexQueryData): void => finish(data, error)
  db.knex.on('query', onStart).on('query-response', onResponse).on('query-error', onError)
  return () => {
    db.knex.off('query', onStart)
    db.knex.off('query-response', onResponse)
    db.knex.off('query-error', onError)
  }
}
