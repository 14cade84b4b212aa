import { measureEventLoopLag, summarize } from './lag-probe'

function busyWait(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // blocking on purpose
  }
}

describe('Task 2: the event-loop lag probe', () => {
  it('weights a stall by its length, so one long stall shows in p99 (not just in max)', () => {
    // 1000 ms of 1 ms ticks, then one 200 ms stall: an event arriving at a random moment waits > 100 ms 1/12 of the time
    const lag = summarize([...Array.from({ length: 1000 }, () => 1), 201], 1, 1201)
    expect(lag.maxMs).toBe(200)
    expect(lag.p99Ms).toBeGreaterThan(150)
    expect(lag.p50Ms).toBe(0)
  })

  it('reports close to zero for a free loop', () => {
    const lag = summarize(Array.from({ length: 500 }, () => 1.2), 1, 600)
    expect(lag.maxMs).toBeCloseTo(0.2)
    expect(lag.p99Ms).toBeCloseTo(0.2)
  })

  it('catches a synchronous block while the measured work runs, including the gap open when it ends', async () => {
    const { result, lag } = await measureEventLoopLag(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      busyWait(120)
      return 'done'
    })
    expect(result).toBe('done')
    expect(lag.maxMs).toBeGreaterThanOrEqual(100)
    expect(lag.durationMs).toBeGreaterThanOrEqual(130)
  })

  it('rejects a bad interval', async () => {
    await expect(measureEventLoopLag(() => Promise.resolve(1), { intervalMs: 0 })).rejects.toThrow(new TypeError('Expected `intervalMs` to be a positive integer, got 0.'))
  })
})
