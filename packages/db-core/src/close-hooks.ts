/**
 * What must happen to a checked-out driver connection before `Database.close()` can take it back by force:
 * a cursor still open on it is ended (better-sqlite3 refuses to close a connection with a live iterator; a
 * mysql2 row stream would keep its socket busy). Registered by the streams, run by `close()` once its grace
 * period is over.
 */
const hooks = new WeakMap<object, Set<() => void>>()

/**
 * Registers `hook` to run if the database is closed while `raw` is still checked out; returns the function
 * that unregisters it (call it when the cursor ends normally).
 * @example
 * const off = onForcedClose(conn.raw, () => rows.return?.())
 */
export function onForcedClose(raw: object, hook: () => void): () => void {
  let set = hooks.get(raw)
  if (set === undefined) hooks.set(raw, (set = new Set()))
  set.add(hook)
  return () => {
    set.delete(hook)
  }
}

/** Runs (and forgets) the hooks registered for `raw`; a hook that throws does not stop the others. */
export function runForcedCloseHooks(raw: object): void {
  const set = hooks.get(raw)
  if (set === undefined) return
  hooks.delete(raw)
  for (const hook of set) {
    try {
      hook()
    } catch {
      // the connection is being closed anyway
    }
  }
}

/**
 * Closes a mysql2 connection hard: its `destroy()` only half-closes the socket, and a running query (or a
 * paused row stream) would still hold it, so the socket is destroyed too.
 * @example
 * destroyMysqlConnection(conn.raw)
 */
export function destroyMysqlConnection(raw: { destroy(): void; readonly stream?: { destroy(): void } }): void {
  raw.destroy()
  raw.stream?.destroy()
}

/**
 * Closes a node-postgres client hard: its socket is destroyed (`end()` would wait behind an open cursor), and
 * knex's pool is told to drop it rather than hand it out again.
 * @example
 * destroyPostgresConnection(conn.raw)
 */
export function destroyPostgresConnection(raw: unknown): void {
  const client = raw as { __knex__disposed?: unknown; readonly connection?: { readonly stream?: { destroy(): void } } }
  client.__knex__disposed ??= 'destroyed by db-core'
  client.connection?.stream?.destroy()
}
