import http from 'node:http'

export interface SseFrame {
  id?: string
  event?: string
  data: string
}

/** A minimal SSE client over a real socket, for tests. */
export class SseClient {
  readonly frames: SseFrame[] = []
  status = 0
  #request: http.ClientRequest | undefined
  #buffer = ''
  #waiters: Array<() => void> = []

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient()
    return new Promise((resolve, reject) => {
      client.#request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.status = res.statusCode ?? 0
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => client.#push(chunk))
        res.on('error', () => undefined)
        resolve(client)
      })
      client.#request.on('error', reject)
    })
  }

  #push(chunk: string): void {
    this.#buffer += chunk
    let index: number
    while ((index = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, index)
      this.#buffer = this.#buffer.slice(index + 2)
      const frame: SseFrame = { data: '' }
      let hasData = false
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue
        const [field, ...rest] = line.split(':')
        const value = rest.join(':').replace(/^ /, '')
        if (field === 'id') frame.id = value
        else if (field === 'event') frame.event = value
        else if (field === 'data') {
          frame.data += value
          hasData = true
        }
      }
      if (hasData) this.frames.push(frame)
    }
    for (const wake of this.#waiters.splice(0)) wake()
  }

  /** Resolves once `count` frames have arrived, or rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 5000): Promise<SseFrame[]> {
    const deadline = Date.now() + timeoutMs
    while (this.frames.length < count) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`expected ${count} SSE frames, got ${this.frames.length}: ${JSON.stringify(this.frames)}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.frames.slice(0, count)
  }

  close(): void {
    this.#request?.destroy()
  }
}
