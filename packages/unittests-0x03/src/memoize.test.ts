import { describe, expect, jest, test } from '@jest/globals'
import { memoize } from './memoize'

describe('Task 3: memoize computes a property once', () => {
  test('reading a memoized property twice calls the method once (the course’s TestClass)', () => {
    class TestClass {
      aMethod(): number {
        return 42
      }

      @memoize
      get aProperty(): number {
        return this.aMethod()
      }
    }
    using aMethod = jest.spyOn(TestClass.prototype, 'aMethod')
    const instance = new TestClass()

    expect(instance.aProperty).toBe(42)
    expect(instance.aProperty).toBe(42)
    expect(aMethod).toHaveBeenCalledTimes(1)
  })

  test('caches per instance, without writing onto the instance', () => {
    const compute = jest.fn((id: number) => id * 10)
    class Box {
      constructor(readonly id: number) {}
      @memoize
      get value(): number {
        return compute(this.id)
      }
    }
    const one = new Box(1)
    const two = new Box(2)

    expect([one.value, two.value, one.value, two.value]).toEqual([10, 20, 10, 20])
    expect(compute).toHaveBeenCalledTimes(2)
    expect(Object.keys(one)).toEqual(['id'])
  })

  test('concurrent reads of an async getter share one promise', async () => {
    let release: (value: string) => void = () => undefined
    const load = jest.fn(() => new Promise<string>((resolve) => (release = resolve)))
    class Org {
      @memoize
      get payload(): Promise<string> {
        return load()
      }
    }
    const org = new Org()

    const first = org.payload
    const second = org.payload
    release('ready')

    expect(second).toBe(first)
    await expect(Promise.all([first, second])).resolves.toEqual(['ready', 'ready'])
    expect(load).toHaveBeenCalledTimes(1)
  })

  test('a rejected promise is forgotten, so the next read retries', async () => {
    const load = jest
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('flaky'))
      .mockResolvedValueOnce('ok')
    class Org {
      @memoize
      get payload(): Promise<string> {
        return load()
      }
    }
    const org = new Org()

    await expect(org.payload).rejects.toThrow('flaky')
    await expect(org.payload).resolves.toBe('ok')
    await expect(org.payload).resolves.toBe('ok')
    expect(load).toHaveBeenCalledTimes(2)
  })

  test('a rejection after clear() does not evict the newer entry', async () => {
    let rejectFirst: (error: Error) => void = () => undefined
    const load = jest
      .fn<(key: string) => Promise<string>>()
      .mockImplementationOnce(() => new Promise<string>((_resolve, reject) => (rejectFirst = reject)))
      .mockResolvedValue('second')
    const memoLoad = memoize(load)

    const first = memoLoad('k')
    memoLoad.clear()
    const second = memoLoad('k')
    rejectFirst(new Error('late failure'))

    await expect(first).rejects.toThrow('late failure')
    expect(memoLoad('k')).toBe(second)
    expect(load).toHaveBeenCalledTimes(2)
  })

  test('a synchronous throw is not cached', () => {
    let calls = 0
    class Flaky {
      @memoize
      get value(): number {
        calls += 1
        if (calls === 1) throw new Error('first read fails')
        return calls
      }
    }
    const flaky = new Flaky()

    expect(() => flaky.value).toThrow('first read fails')
    expect([flaky.value, flaky.value]).toEqual([2, 2])
  })

  test('memoizes methods per instance and per first argument, and static members per class', () => {
    const lookup = jest.fn((name: string) => name.toUpperCase())
    class Directory {
      static loads = 0
      @memoize
      find(name: string): string {
        return lookup(name)
      }

      @memoize
      static get shared(): number {
        Directory.loads += 1
        return Directory.loads
      }
    }
    const directory = new Directory()

    expect([directory.find('ada'), directory.find('bob'), directory.find('ada')]).toEqual(['ADA', 'BOB', 'ADA'])
    expect(lookup).toHaveBeenCalledTimes(2)
    expect([Directory.shared, Directory.shared]).toEqual([1, 1])
  })

  test('a detached memoized method throws a TypeError instead of sharing a cache', () => {
    class Thing {
      @memoize
      name(): string {
        return 'thing'
      }
    }
    const { name } = new Thing()

    expect(() => name()).toThrow(new TypeError('Expected the memoized method `name` to be called on an instance, got undefined.'))
  })

  test('the function form caches by the first argument or by cacheKey, and clear() forgets', () => {
    const square = jest.fn((n: number) => n * n)
    const memoSquare = memoize(square)
    const area = jest.fn((w: number, h: number) => w * h)
    const memoArea = memoize(area, { cacheKey: (w, h) => `${w}x${h}` })

    expect([memoSquare(3), memoSquare(3), memoSquare(4)]).toEqual([9, 9, 16])
    expect(square).toHaveBeenCalledTimes(2)
    expect([memoArea(2, 3), memoArea(2, 5), memoArea(2, 3)]).toEqual([6, 10, 6])
    expect(area).toHaveBeenCalledTimes(2)

    memoSquare.clear()
    expect(memoSquare(3)).toBe(9)
    expect(square).toHaveBeenCalledTimes(3)
  })

  test('the function form shares one promise between concurrent calls', async () => {
    const fetchUser = jest.fn((id: number) => Promise.resolve({ id }))
    const memoFetch = memoize(fetchUser)

    const [a, b] = [memoFetch(1), memoFetch(1)]

    expect(b).toBe(a)
    await expect(a).resolves.toEqual({ id: 1 })
    expect(fetchUser).toHaveBeenCalledTimes(1)
  })

  test('bad arguments throw a TypeError naming the value', () => {
    expect(() => memoize(42 as unknown as () => number)).toThrow(new TypeError('Expected `fn` to be a function, got 42.'))
    expect(() => memoize(() => 1, { cacheKey: 'id' as unknown as () => string })).toThrow(
      new TypeError('Expected `cacheKey` to be a function, got "id".'),
    )
    // TypeScript rejects @memoize on a field; a plain-JS caller gets a clear error instead.
    const fieldContext = { kind: 'field', name: 'count', static: false, private: false, addInitializer: () => undefined }
    expect(() => memoize(() => 1, fieldContext as unknown as ClassGetterDecoratorContext<object, number>)).toThrow(
      new TypeError('Expected @memoize on a getter or a method, got the field `count`.'),
    )
  })
})
