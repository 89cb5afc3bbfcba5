// Runs async work over a list with a bounded number in flight, stopping at the first failure.

/**
 * Calls `worker` for each item with at most `limit` running at once. After the first rejection no
 * new item starts; `onFirstError` is told at once (to abort the others), every running call is
 * awaited, and then that first error is thrown. RangeError when limit < 1.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T) => Promise<void>,
  onFirstError?: (error: unknown) => void,
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('concurrency must be an integer >= 1');
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await worker(item);
      } catch (error) {
        if (failure === undefined) {
          failure = { error };
          onFirstError?.(error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure.error;
}
