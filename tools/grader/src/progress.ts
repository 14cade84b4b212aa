import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'

/** Tests finished so far in a jest run, from the grade reporter's progress log. */
export interface ProgressCount {
  readonly started: boolean
  readonly done: number
  readonly failed: number
  readonly files: number
}

/** Reads a progress log incrementally (it only grows while jest runs). */
export class ProgressReader {
  #offset = 0
  #pending = ''
  #count = { started: false, done: 0, failed: 0, files: 0 }

  constructor(readonly file: string) {}

  /**
   * The counts after reading what was appended since the last call.
   * @example new ProgressReader('reports/jest-results.progress.jsonl').read().done // 12
   */
  read(): ProgressCount {
    if (!existsSync(this.file)) return { ...this.#count }
    const size = statSync(this.file).size
    if (size < this.#offset) {
      this.#offset = 0
      this.#pending = ''
      this.#count = { started: false, done: 0, failed: 0, files: 0 }
    }
    if (size > this.#offset) {
      const buffer = Buffer.alloc(size - this.#offset)
      const fd = openSync(this.file, 'r')
      try {
        readSync(fd, buffer, 0, buffer.length, this.#offset)
      } finally {
        closeSync(fd)
      }
      this.#offset = size
      const lines = (this.#pending + buffer.toString('utf8')).split('\n')
      this.#pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('{"type":"start"')) this.#count.started = true
        else if (line.startsWith('{"type":"case-result"')) {
          this.#count.done += 1
          if (line.includes('"status":"failed"')) this.#count.failed += 1
        } else if (line.startsWith('{"type":"file-result"')) this.#count.files += 1
      }
    }
    return { ...this.#count }
  }
}

/**
 * Reports `N tests done (M failed)` while a jest run writes its progress log: on change, at most every `everyMs`.
 * @example const watch = watchProgress(progressFile, (line) => process.stderr.write(`${line}\n`)); …; watch.stop()
 */
export function watchProgress(file: string, report: (line: string) => void, everyMs = 5000): { stop: () => void } {
  const reader = new ProgressReader(file)
  let shown = -1
  let last = 0
  const tick = (): void => {
    const count = reader.read()
    if (!count.started || count.done === 0 || count.done === shown || Date.now() - last < everyMs) return
    shown = count.done
    last = Date.now()
    report(`${count.done} tests done${count.failed > 0 ? ` (${count.failed} failed)` : ''}`)
  }
  const timer = setInterval(tick, 1000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
