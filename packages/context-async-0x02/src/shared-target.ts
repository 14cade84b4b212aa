import { defaultDatabaseUrl, openDatabase, parseDatabaseUrl } from '@alx/db-core'
import { toTarget } from './async-connection'
import type { ConnectionTarget } from './async-connection'

/**
 * Runs `fn` with a target that `lanes` concurrent connections can share: a given `db` as is; an SQLite file URL as is
 * (each connection gets a thread of its own); a MySQL (or `:memory:`) URL as one pool of `lanes` connections,
 * closed when `fn` settles — rather than one pool per connection.
 * @example
 * await withSharedTarget({ url }, 2, (target) => gather([(s) => asyncFetchUsers({ ...target, signal: s }), …]))
 */
export async function withSharedTarget<T>(target: ConnectionTarget, lanes: number, fn: (target: ConnectionTarget) => Promise<T>): Promise<T> {
  const { db, url = defaultDatabaseUrl() } = toTarget(target)
  if (db) return fn({ db })
  const config = parseDatabaseUrl(url)
  if (config.dialect === 'sqlite' && config.filename !== ':memory:') return fn({ url })
  await using shared = await openDatabase(url, { pool: { max: lanes } })
  // awaited here, not returned: the pool must outlive fn's promise, and `await using` disposes on return
  return await fn({ db: shared })
}
