import { AbortSource, type AbortSignalLike } from '../abort-signal.js';

/**
 * Runs one task per item with at most `limit` in flight, results in item order. The first
 * failure (or the caller's abort) aborts the tasks in flight and starts no more, and is what
 * the returned promise rejects with.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignalLike,
  task: (item: T, index: number, signal: AbortSignalLike) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  // Not an AbortController: on Node 20 each AbortSignal gets a hidden class of its own (abort-signal.ts).
  const batch = new AbortSource();
  const cancel = () => batch.abort(signal.reason);
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  let next = 0;
  let failure: { err: unknown } | undefined;

  async function worker(): Promise<void> {
    while (!failure && !batch.aborted && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i]!, i, batch);
      } catch (err) {
        failure ??= { err };
        batch.abort();
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    signal.removeEventListener('abort', cancel);
  }
  if (failure) throw failure.err;
  if (signal.aborted) throw signal.reason;
  return results;
}
