import { allSettledOrThrow, gather, throwIfAllRejected } from './gather'

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    })
  })

describe('Task 3: gather and all-settled helpers', () => {
  describe('gather', () => {
    it('resolves with every result in order, like Promise.all', async () => {
      const result = await gather([() => sleep(20).then(() => 'slow'), () => Promise.resolve(2)])
      expect(result).toEqual(['slow', 2])
    })

    it('aborts the siblings when one task fails, and rejects with that error only after they settled', async () => {
      const log: string[] = []
      const boom = new Error('boom')
      const sibling = async (signal: AbortSignal): Promise<string> => {
        try {
          await sleep(5000, signal)
          return 'finished'
        } finally {
          log.push(`sibling released (aborted: ${String(signal.aborted)})`)
        }
      }
      const failing = async (): Promise<never> => {
        await sleep(10)
        throw boom
      }
      const started = performance.now()
      await expect(gather([sibling, failing])).rejects.toBe(boom)
      expect(log).toEqual(['sibling released (aborted: true)'])
      expect(performance.now() - started).toBeLessThan(1000)
    })

    it('passes the caller’s abort to every task', async () => {
      const controller = new AbortController()
      const reason = new Error('stop')
      const run = gather([(signal) => sleep(5000, signal), (signal) => sleep(5000, signal)], { signal: controller.signal })
      controller.abort(reason)
      await expect(run).rejects.toBe(reason)
      await expect(gather([() => Promise.resolve(1)], { signal: controller.signal })).rejects.toBe(reason)
    })

    it('turns a synchronous throw in a task into a rejection', async () => {
      const bad = (): Promise<number> => {
        throw new RangeError('sync')
      }
      await expect(gather([bad])).rejects.toThrow(RangeError)
    })
  })

  describe('allSettledOrThrow', () => {
    it('returns partial results as settled outcomes', async () => {
      const [a, b] = await allSettledOrThrow([Promise.resolve(1), Promise.reject(new Error('no'))])
      expect(a).toEqual({ status: 'fulfilled', value: 1 })
      expect(b).toMatchObject({ status: 'rejected', reason: new Error('no') })
    })

    it('throws an AggregateError of every reason, in order, when all of them failed', async () => {
      const first = new Error('first')
      const second = new TypeError('second')
      const err = await allSettledOrThrow([Promise.reject(first), Promise.reject(second)]).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(AggregateError)
      expect((err as AggregateError).errors).toEqual([first, second])
      expect((err as AggregateError).message).toBe('All 2 operations failed: first; second')
    })

    it('treats no promises as no failure', () => {
      expect(throwIfAllRejected([])).toEqual([])
    })
  })
})
