import { statSync } from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { DatabaseClosedError, assertPositiveInteger, sqliteDriverPath } from '@alx/db-core'
import { SqliteError, WorkerExitedError } from './errors'

/** The worker script: plain CommonJS so Node loads it in a thread without ts-jest or tsx. */
const WORKER_FILE = path.join(__dirname, 'sqlite-worker.cjs')

interface SerializedError {
  readonly name: string
  readonly message: string
  readonly code: string | undefined
}

type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: SerializedError }
  | { readonly type: 'rows' | 'done'; readonly id: number; readonly rows: unknown[] }
  | { readonly type: 'cancelled'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError }

/** Options of `SqliteWorkerConnection.open`. */
export interface WorkerConnectionOptions {
  /**
   * How long SQLite waits on a locked database before failing with SQLITE_BUSY, in milliseconds.
   * @default 5000
   */
  readonly busyTimeoutMs?: number
  /**
   * Rows per message from the worker: small enough that the main thread deserializes each in about a millisecond.
   * @default 1000
   */
  readonly batchSize?: number
  /**
   * How long a cancelled statement may take to notice (it checks between rows) before its thread is terminated.
   * @default 100
   */
  readonly cancelGraceMs?: number
}

/** Options of one statement. */
export interface StatementOptions {
  /** Cancels the statement: it stops at the next row (or its thread is dropped) and the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined
}

interface Running {
  readonly worker: Worker
  onReply(reply: WorkerReply): void
  onExit(err: Error): void
}

function toError(e: SerializedError): Error {
  if (e.name === 'TypeError') return new TypeError(e.message)
  if (e.name === 'RangeError') return new RangeError(e.message)
  if (e.name === 'SqliteError' || e.code?.startsWith('SQLITE_')) return new SqliteError(e.message, e.code ?? 'SQLITE_ERROR')
  const err = new Error(e.message)
  err.name = e.name
  return err
}

const noop = (): void => undefined

/** Slots of the shared control array: the statement to stop, and how many more batches the thread may send. */
const CANCEL = 0
const CREDITS = 1
/** `query()` collects everything, so its thread never waits for the reader. */
const UNLIMITED = 0x3fffffff
/** `stream()` lets the thread run this many batches ahead of the reader. */
const STREAM_WINDOW = 2

/**
 * One SQLite connection living on its own worker thread (better-sqlite3), like a connection of Python's aiosqlite:
 * statements run one at a time off the main thread, rows come back in batches, and a statement can be cancelled.
 * The thread is unref'd while idle, so a forgotten connection never keeps the process alive.
 * @example
 * const conn = await SqliteWorkerConnection.open('/tmp/app.sqlite')
 * const rows = await conn.query('SELECT * FROM users WHERE age > ?', [25])
 * await conn.close()
 */
export class SqliteWorkerConnection {
  readonly filename: string
  readonly #busyTimeoutMs: number
  readonly #batchSize: number
  readonly #cancelGraceMs: number
  /** Shared with the worker: the id of the statement to stop. */
  readonly #control = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT))
  readonly #streams = new Set<{ readonly stop: AbortController; readonly rows: AsyncGenerator<unknown, void, undefined> }>()
  #worker: Worker | undefined
  #running: Running | undefined
  #nextId = 1
  #queue: Promise<void> = Promise.resolve()
  readonly #exiting = new Set<Promise<unknown>>()
  #closed = false
  #inode: number | undefined
  #closing: Promise<void> | undefined

  private constructor(filename: string, options: WorkerConnectionOptions) {
    this.filename = filename
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000
    this.#batchSize = options.batchSize ?? 1000
    this.#cancelGraceMs = options.cancelGraceMs ?? 100
    assertPositiveInteger('batchSize', this.#batchSize)
    if (!Number.isInteger(this.#busyTimeoutMs) || this.#busyTimeoutMs < 0) {
      throw new TypeError(`Expected \`busyTimeoutMs\` to be a non-negative integer, got ${String(this.#busyTimeoutMs)}.`)
    }
    if (!Number.isFinite(this.#cancelGraceMs) || this.#cancelGraceMs < 0) {
      throw new TypeError(`Expected \`cancelGraceMs\` to be a non-negative number, got ${String(this.#cancelGraceMs)}.`)
    }
  }

  /**
   * Starts a worker thread and opens `filename` in it (WAL, busy timeout); rejects with the driver's error if it cannot.
   * @example
   * await using conn = await SqliteWorkerConnection.open('/tmp/app.sqlite')
   */
  static async open(filename: string, options: WorkerConnectionOptions = {}): Promise<SqliteWorkerConnection> {
    const conn = new SqliteWorkerConnection(filename, options)
    conn.#worker = await conn.#spawn()
    // the worker created the file if it was missing; remember which file it is, to notice a replaced one later
    conn.#inode = statSync(filename, { throwIfNoEntry: false })?.ino
    return conn
  }

  /** True while the file at `filename` is still the one this connection opened (not deleted or replaced). */
  get fileUnchanged(): boolean {
    const ino = statSync(this.filename, { throwIfNoEntry: false })?.ino
    return ino !== undefined && ino === this.#inode
  }

  /** Resolves once every statement issued so far has settled, ending any stream nobody finished reading. */
  async drain(): Promise<void> {
    // such a stream would hold its turn forever
    for (const { stop, rows } of [...this.#streams]) {
      stop.abort(new DatabaseClosedError(`The SQLite connection to ${this.filename} was closed while a stream was open`))
      void rows.return(undefined).catch(noop)
    }
    await this.#queue
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed
  }

  /** The worker's thread id, or undefined between a hard cancel and the next statement (for tests and logs). */
  get threadId(): number | undefined {
    return this.#worker?.threadId
  }

  #spawn(): Promise<Worker> {
    const worker = new Worker(WORKER_FILE, {
      workerData: { filename: this.filename, busyTimeoutMs: this.#busyTimeoutMs, control: this.#control.buffer, driver: sqliteDriverPath() },
      stdout: false,
    })
    return new Promise<Worker>((resolve, reject) => {
      const cleanup = (): void => {
        worker.off('message', onMessage)
        worker.off('error', onError)
        worker.off('exit', onExit)
      }
      const onMessage = (reply: WorkerReply): void => {
        cleanup()
        if (reply.type === 'ready') {
          this.#attach(worker)
          resolve(worker)
        } else {
          this.#terminate(worker)
          reject(reply.type === 'failed' ? toError(reply.error) : new Error(`Unexpected first message from the SQLite worker: ${reply.type}`))
        }
      }
      const onError = (err: Error): void => {
        cleanup()
        reject(err)
      }
      const onExit = (code: number): void => {
        cleanup()
        reject(new WorkerExitedError(code))
      }
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.on('exit', onExit)
    })
  }

  #attach(worker: Worker): void {
    worker.on('message', (reply: WorkerReply) => {
      if (this.#running?.worker === worker) this.#running.onReply(reply)
    })
    let failure: Error | undefined
    worker.on('error', (err: Error) => {
      failure = err
    })
    worker.on('exit', (code: number) => {
      if (this.#worker === worker) this.#worker = undefined
      if (this.#running?.worker === worker) this.#running.onExit(new WorkerExitedError(code, { cause: failure }))
    })
    // last: adding a 'message' listener refs the worker again
    worker.unref()
  }

  /** Drops a thread without waiting for it; `close()` waits for every dropped thread to be gone. */
  #terminate(worker: Worker): void {
    if (this.#worker === worker) this.#worker = undefined
    // a thread stuck in one long SQLite step exits only when the step ends; it must not hold the process open
    worker.unref()
    const exited = worker.terminate().then(noop, noop)
    this.#exiting.add(exited)
    void exited.finally(() => this.#exiting.delete(exited))
  }

  /** Waits for this connection's turn: statements (and streams, for as long as they are read) run one at a time. */
  #turn(): { ready: Promise<void>; release: () => void } {
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const ready = this.#queue
    this.#queue = ready.then(() => mine)
    return { ready, release }
  }

  /**
   * Runs one statement with bound parameters: rows for a query, `[{ affectedRows, insertId }]` for a write.
   * Statements on one connection run one after another, in call order.
   * @example
   * const rows = await conn.query<{ name: string }>('SELECT name FROM users WHERE age > ?', [25])
   */
  query<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): Promise<TRow[]> {
    const { signal } = options
    if (this.#closed) return Promise.reject(new DatabaseClosedError(`The SQLite connection to ${this.filename} is closed`))
    if (signal?.aborted) return Promise.reject(signal.reason as Error)
    const { ready, release } = this.#turn()
    const run = ready
      .then(async () => {
        const rows: TRow[] = []
        await this.#execute(sql, params, signal, UNLIMITED, (batch) => {
          for (const row of batch) rows.push(row as TRow)
        })
        return rows
      })
      .finally(release)
    if (!signal) return run
    // a statement still waiting for its turn rejects at once when aborted; #execute then sees the signal and skips it
    return new Promise<TRow[]>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error)
      signal.addEventListener('abort', onAbort, { once: true })
      run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  /**
   * Streams the rows of a query with backpressure: the thread runs at most two batches ahead of the reader, so a
   * million-row result never sits in memory at once. Leaving the loop early (`break`, `throw`) stops the statement.
   * @example
   * for await (const user of conn.stream<UserDataRow>('SELECT * FROM user_data')) total += user.age
   */
  stream<TRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): AsyncGenerator<TRow, void, undefined> {
    const stop = new AbortController()
    const rows = this.#stream<TRow>(sql, params, options.signal, stop)
    const entry = { stop, rows: rows as AsyncGenerator<unknown, void, undefined> }
    this.#streams.add(entry)
    stop.signal.addEventListener('abort', () => this.#streams.delete(entry), { once: true })
    return rows
  }

  async *#stream<TRow>(sql: string, params: readonly unknown[], signal: AbortSignal | undefined, stop: AbortController): AsyncGenerator<TRow, void, undefined> {
    if (this.#closed) throw new DatabaseClosedError(`The SQLite connection to ${this.filename} is closed`)
    signal?.throwIfAborted()
    const { ready, release } = this.#turn()
    try {
      await ready
      const batches: unknown[][] = []
      let wake: (() => void) | undefined
      let ended = false
      let failure: { readonly error: unknown } | undefined
      const running = this.#execute(sql, params, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal, STREAM_WINDOW, (batch) => {
        if (batch.length > 0) batches.push(batch)
        wake?.()
      })
      running.then(
        () => {
          ended = true
          wake?.()
        },
        (error: unknown) => {
          failure = { error }
          ended = true
          wake?.()
        },
      )
      try {
        for (;;) {
          const batch = batches.shift()
          if (batch) {
            // taking a batch lets the thread read one more
            Atomics.add(this.#control, CREDITS, 1)
            Atomics.notify(this.#control, CREDITS)
            for (const row of batch) yield row as TRow
          } else if (failure) {
            throw failure.error
          } else if (ended) {
            return
          } else {
            await new Promise<void>((resolve) => (wake = resolve))
            wake = undefined
          }
        }
      } finally {
        if (!ended) {
          stop.abort(new Error('The stream was closed before its last row'))
          await running.catch(noop)
        }
      }
    } finally {
      // also forgets this stream in the connection's set of open ones
      if (!stop.signal.aborted) stop.abort(new Error('The stream has ended'))
      release()
    }
  }

  async #execute(sql: string, params: readonly unknown[], signal: AbortSignal | undefined, window: number, onRows: (rows: unknown[]) => void): Promise<void> {
    signal?.throwIfAborted()
    // after a hard cancel the connection gets a fresh thread
    const worker = this.#worker ?? (this.#worker = await this.#spawn())
    signal?.throwIfAborted()
    const id = this.#nextId++
    Atomics.store(this.#control, CREDITS, window)
    return new Promise<void>((resolve, reject) => {
      let settled = false
      let timer: NodeJS.Timeout | undefined
      const finish = (settle: () => void): void => {
        if (settled) return
        settled = true
        signal?.removeEventListener('abort', onAbort)
        clearTimeout(timer)
        this.#running = undefined
        worker.unref()
        settle()
      }
      const onAbort = (): void => {
        Atomics.store(this.#control, CANCEL, id)
        // wake the thread if it is waiting for the reader to take a batch
        Atomics.notify(this.#control, CREDITS)
        // a single long SQLite step (an aggregate over a big CTE) never reaches the next row: drop the thread
        timer = setTimeout(() => {
          this.#terminate(worker)
          finish(() => reject(signal?.reason as Error))
        }, this.#cancelGraceMs)
      }
      this.#running = {
        worker,
        onReply: (reply) => {
          if (!('id' in reply) || reply.id !== id) return
          if ((reply.type === 'rows' || reply.type === 'done') && !signal?.aborted) onRows(reply.rows)
          if (reply.type === 'rows') return
          if (signal?.aborted) finish(() => reject(signal.reason as Error))
          else if (reply.type === 'error') finish(() => reject(toError(reply.error)))
          else finish(resolve)
        },
        onExit: (err) => finish(() => reject(err)),
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      worker.ref()
      try {
        worker.postMessage({ type: 'query', id, sql, params: [...params], batchSize: this.#batchSize })
      } catch (err) {
        // a parameter that cannot be cloned to the thread (a function, a symbol)
        finish(() => reject(new TypeError(`Cannot bind parameters ${describe(params)}: ${(err as Error).message}`)))
      }
    })
  }

  /**
   * Closes the connection once the statements already issued have finished (so `return conn.query(…)` inside an
   * `await using` block still works), then lets the thread exit; later statements reject. Idempotent.
   * @example
   * await conn.close()
   */
  close(): Promise<void> {
    this.#closed = true
    this.#closing ??= this.#shutdown()
    return this.#closing
  }

  async #shutdown(): Promise<void> {
    await this.drain()
    const worker = this.#worker
    if (worker) {
      this.#worker = undefined
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
      worker.ref()
      worker.postMessage({ type: 'close' })
      await exited
    }
    await Promise.all(this.#exiting)
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

function describe(params: readonly unknown[]): string {
  return `[${params.map((p) => (typeof p === 'function' ? 'function' : typeof p === 'symbol' ? 'symbol' : typeof p)).join(', ')}]`
}
