import { mapWithConcurrency } from './bounded'

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('Task 3: mapWithConcurrency bounds the work in flight', () => {
  it('never runs more than `concurrency` calls at once, and keeps input order', async () => {
    let inFlight = 0
    let peak = 0
    const results = await mapWithConcurrency(
      [30, 5, 20, 1, 15, 10, 2, 8],
      async (ms, i) => {
        inFlight++
        peak = Math.max(peak, inFlight)
        await tick(ms)
        inFlight--
        return `${i}:${ms}`
      },
      { concurrency: 3 },
    )
    expect(peak).toBe(3)
    expect(results).toEqual(['0:30', '1:5', '2:20', '3:1', '4:15', '5:10', '6:2', '7:8'])
  })

  it('stops starting items after a failure, aborts those in flight, and rethrows the first error', async () => {
    const started: number[] = []
    const aborted: number[] = []
    const boom = new Error('item 1 failed')
    const run = mapWithConcurrency(
      [0, 1, 2, 3, 4, 5],
      async (item, _i, signal) => {
        started.push(item)
        if (item === 1) throw boom
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 200)
          signal.addEventListener('abort', () => {
            clearTimeout(timer)
            aborted.push(item)
            resolve()
          })
        })
        return item
      },
      { concurrency: 2 },
    )
    await expect(run).rejects.toBe(boom)
    expect(started).toEqual([0, 1])
    expect(aborted).toEqual([0])
  })

  it('handles fewer items than the concurrency, and none at all', async () => {
    expect(await mapWithConcurrency([1], (n) => Promise.resolve(n * 2), { concurrency: 8 })).toEqual([2])
    expect(await mapWithConcurrency([], () => Promise.resolve(0), { concurrency: 2 })).toEqual([])
  })

  it('rejects a concurrency that is not a positive integer', async () => {
    await expect(mapWithConcurrency([1], () => Promise.resolve(1), { concurrency: 1.5 })).rejects.toThrow(
      new TypeError('Expected `concurrency` to be a positive integer, got 1.5.'),
    )
  })
})
