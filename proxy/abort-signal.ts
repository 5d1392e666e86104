/**
 * What the proxy's own code needs of an abort signal. A request scope (chat/request-scope.ts)
 * implements it without an AbortController: on Node 20 every AbortSignal gets a hidden class
 * of its own (~0.75 KB per open request, and every site that reads a signal goes
 * megamorphic), and creating one with a listener costs several microseconds. A real
 * AbortSignal satisfies the interface too; `nativeSignal` makes one where a library needs it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A real AbortSignal that follows `signal` (the same one if it already is real). */
export function nativeSignal(signal: AbortSignalLike): AbortSignal {
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}
