/** An async function with its `this`, parameters and result: what every wrapper takes and gives back. */
export type AsyncFunction<TThis, TArgs extends unknown[], TResult> = (this: TThis, ...args: TArgs) => Promise<TResult>

/** A TS 5 standard decorator for async class methods that keeps the method's type. */
export type AsyncMethodDecorator = <TThis, TArgs extends unknown[], TResult>(
  method: AsyncFunction<TThis, TArgs, TResult>,
  context: ClassMethodDecoratorContext<TThis, AsyncFunction<TThis, TArgs, TResult>>,
) => AsyncFunction<TThis, TArgs, TResult>
