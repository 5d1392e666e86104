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

/**
 * An abort signal and its controller in one small object: what a batch of the proxy's own
 * work needs to cancel its parts, without an AbortController's per-instance hidden class.
 * Listeners run once, when it aborts, and are dropped then; a listener that throws is reported
 * as EventTarget reports it (uncaught) without stopping the others.
 */
export class AbortSource implements AbortSignalLike {
  aborted = false;
  reason: unknown = undefined;
  /** One listener, or several: rarely more than two at a time. */
  private listeners: (() => void) | Array<() => void> | undefined = undefined;

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    // What AbortController.abort() gives when no reason is passed.
    this.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    const l = this.listeners;
    this.listeners = undefined;
    if (typeof l === 'function') notify(l);
    else if (l) for (const fn of l) notify(fn);
  }

  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (this.aborted) return;
    const l = this.listeners;
    if (l === undefined) this.listeners = listener;
    else if (typeof l === 'function') this.listeners = [l, listener];
    else l.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const l = this.listeners;
    if (l === listener) this.listeners = undefined;
    else if (Array.isArray(l)) {
      const i = l.indexOf(listener);
      if (i >= 0) l.splice(i, 1);
    }
  }
}

function notify(listener: () => void): void {
  try {
    listener();
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
