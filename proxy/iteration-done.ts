/** The end of an iteration, shared by the async iterators written by hand on the streaming path. */
export const DONE: IteratorResult<never> = Object.freeze({ value: undefined, done: true });

/**
 * Stops an iterator that is being left early (its source, e.g. a Bedrock stream, then stops
 * sending). Never throws, and a rejection of return() is ignored: the iterator may have
 * finished or failed already.
 */
export function stopIterator(it: AsyncIterator<unknown>): void {
  try {
    void it.return?.()?.catch(() => undefined);
  } catch {
    // Already finished.
  }
}
