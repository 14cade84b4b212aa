'use strict'
// One better-sqlite3 connection on a thread of its own — what aiosqlite does in Python. The main thread posts
// one statement at a time; rows come back in batches so the main thread only ever deserializes a small chunk
// (posting a million rows in one message would stall it for a second). A statement can be cancelled between
// rows through a shared flag, so the connection survives cancellation. Plain CommonJS because a worker thread
// loads this file with Node's own loader (no ts-jest, no tsx); src/worker-connection.ts is its typed client.
const { parentPort, workerData } = require('node:worker_threads')
// the better-sqlite3 build db-core chose for this Node.js (12 before Node 22, 13 from it), by its resolved path
const Database = require(workerData.driver)

/** @typedef {{ type: 'query', id: number, sql: string, params: unknown[], batchSize: number }} QueryMessage */
/** @typedef {{ type: 'close' }} CloseMessage */

/** @param {unknown} err */
function serialize(err) {
  const e = /** @type {{ name?: unknown, message?: unknown, code?: unknown }} */ (err instanceof Object ? err : {})
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
    code: typeof e.code === 'string' ? e.code : undefined,
  }
}

function main() {
  if (!parentPort) throw new Error('sqlite-worker.cjs must run in a worker thread')
  const port = parentPort
  // [0]: the id of the statement the main thread wants stopped (ids only grow, so a stale value never matches);
  // [1]: how many more batches the main thread is ready to take (a streaming reader grants one per batch it takes)
  const control = new Int32Array(workerData.control)
  const CANCEL = 0
  const CREDITS = 1

  /** Blocks until the reader has room for another batch; false when the statement was cancelled meanwhile. */
  function awaitCredit(/** @type {number} */ id) {
    for (;;) {
      if (Atomics.load(control, CANCEL) === id) return false
      const credits = Atomics.load(control, CREDITS)
      if (credits > 0) {
        Atomics.sub(control, CREDITS, 1)
        return true
      }
      // woken by the main thread granting a credit or cancelling; the timeout only guards against a missed wake-up
      Atomics.wait(control, CREDITS, credits, 1000)
    }
  }
  let db
  try {
    db = new Database(workerData.filename)
    if (workerData.filename !== ':memory:') db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma(`busy_timeout = ${Number(workerData.busyTimeoutMs)}`)
  } catch (err) {
    port.postMessage({ type: 'failed', error: serialize(err) })
    return
  }
  port.postMessage({ type: 'ready' })

  port.on('message', (/** @type {QueryMessage | CloseMessage} */ msg) => {
    if (msg.type === 'close') {
      try {
        db.close()
      } finally {
        // exits even if the file was deleted under an idle connection and closing it reported an I/O error
        port.close()
      }
      return
    }
    const { id, sql, params, batchSize } = msg
    try {
      if (Atomics.load(control, CANCEL) === id) return void port.postMessage({ type: 'cancelled', id })
      const stmt = db.prepare(sql)
      if (!stmt.reader) {
        const { changes, lastInsertRowid } = stmt.run(...params)
        return void port.postMessage({ type: 'done', id, rows: [{ affectedRows: changes, insertId: lastInsertRowid }] })
      }
      let batch = []
      for (const row of stmt.iterate(...params)) {
        // checked on every row: an Atomics.load costs nanoseconds, and breaking resets the statement
        if (Atomics.load(control, CANCEL) === id) return void port.postMessage({ type: 'cancelled', id })
        batch.push(row)
        if (batch.length === batchSize) {
          if (!awaitCredit(id)) return void port.postMessage({ type: 'cancelled', id })
          port.postMessage({ type: 'rows', id, rows: batch })
          batch = []
        }
      }
      port.postMessage({ type: 'done', id, rows: batch })
    } catch (err) {
      port.postMessage({ type: 'error', id, error: serialize(err) })
    }
  })
}

main()
