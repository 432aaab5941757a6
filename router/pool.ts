/**
 * Calls `task` for each item, at most `limit` at a time, pulling the next item only when a slot
 * frees up: a lazy source (a MongoDB cursor) is read no faster than the work goes. After a failure
 * no new task starts; the ones running finish, the source is closed, and the first error is thrown.
 */
export async function forEachConcurrently<T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const source: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  let exhausted = false;
  // Async generators queue concurrent next() calls, so the workers never receive the same item.
  const worker = async (): Promise<void> => {
    while (failure === undefined && !exhausted) {
      try {
        const next = await source.next();
        if (next.done) {
          exhausted = true;
          return;
        }
        await task(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failure !== undefined) {
    await source.return?.();
    throw failure.error;
  }
}
