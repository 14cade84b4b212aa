import { assertPositiveInteger } from '@alx/db-core'

/** How late timers fired while something ran, weighted by time (see `measureEventLoopLag`). */
export interface EventLoopLag {
  /** Milliseconds measured. */
  readonly durationMs: number
  /** Half the time, an event would have waited at most this long (ms). */
  readonly p50Ms: number
  /** 99% of the time, an event would have waited at most this long (ms). */
  readonly p99Ms: number
  /** The longest the loop was blocked (ms). */
  readonly maxMs: number
}

/**
 * Runs `fn` while a 1 ms timer probes the event loop, and returns its result with the lag it caused. Percentiles are
 * time-weighted: a 500 ms stall counts as 500 ms of waiting, not as one late sample among thousands (which is how
 * `monitorEventLoopDelay` percentiles can hide a long stall), and the gap still open when `fn` settles is counted.
 * @example
 * const { result, lag } = await measureEventLoopLag(() => fetchConcurrently())
 * console.log(lag.p99Ms, lag.maxMs)
 */
export async function measureEventLoopLag<T>(fn: () => Promise<T>, options: { readonly intervalMs?: number } = {}): Promise<{ result: T; lag: EventLoopLag }> {
  const intervalMs = options.intervalMs ?? 1
  assertPositiveInteger('intervalMs', intervalMs)
  const gaps: number[] = []
  const start = performance.now()
  let last = start
  let timer: NodeJS.Timeout | undefined
  const tick = (): void => {
    const now = performance.now()
    gaps.push(now - last)
    last = now
    timer = setTimeout(tick, intervalMs)
  }
  timer = setTimeout(tick, intervalMs)
  let result: T
  try {
    result = await fn()
  } finally {
    clearTimeout(timer)
    gaps.push(performance.now() - last)
  }
  return { result, lag: summarize(gaps, intervalMs, performance.now() - start) }
}

/**
 * Turns timer gaps into time-weighted lag percentiles: during a gap of `g` ms an event arriving at time `t` waits
 * `g - interval - t`, so every millisecond of a gap contributes one sample.
 * @example
 * summarize([1, 1, 501], 1, 503).maxMs // 500
 */
export function summarize(gaps: readonly number[], intervalMs: number, durationMs: number): EventLoopLag {
  const samples: number[] = []
  let maxMs = 0
  for (const gap of gaps) {
    const excess = Math.max(0, gap - intervalMs)
    maxMs = Math.max(maxMs, excess)
    // one sample per millisecond of the gap (at least one), from the full excess down to zero
    const steps = Math.max(1, Math.ceil(gap))
    for (let i = 0; i < steps; i++) samples.push(Math.max(0, excess - i))
  }
  samples.sort((a, b) => a - b)
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0
  return { durationMs, p50Ms: at(0.5), p99Ms: at(0.99), maxMs }
}
