/**
 * One abort scope per request: the client going away, the request time limit and shutdown
 * all abort the work in progress — image fetches as well as the Bedrock call.
 *
 * The scope is its own abort signal (an AbortSource) rather than an AbortController: one
 * object per request, no closures, and no AbortSignal with its per-instance hidden class on
 * Node 20 (see abort-signal.ts). Libraries that need a real AbortSignal get one from
 * `nativeSignal(scope)`.
 */
import type { ServerResponse } from 'node:http';
import { OpenAIHttpError } from '../errors.js';
import { AbortSource } from '../abort-signal.js';

/** What shutdown needs of a request in progress. */
export interface Abortable {
  abort(reason?: unknown): void;
}

const kScopes = Symbol('novaRequestScopes');
const kScope = Symbol('novaRequestScope');
type TrackedResponse = ServerResponse & { [kScopes]?: Set<Abortable>; [kScope]?: RequestScope };

/**
 * Registers every scope opened for this response in `scopes` while it is open, so shutdown
 * can answer requests still waiting on Bedrock (the app does this for every request).
 */
export function trackScopes(res: ServerResponse, scopes: Set<Abortable>): void {
  (res as TrackedResponse)[kScopes] = scopes;
}

export function openRequestScope(res: ServerResponse, timeoutMs: number): RequestScope {
  return new RequestScope(res, timeoutMs);
}

export class RequestScope extends AbortSource implements Abortable {
  private readonly timer: NodeJS.Timeout;
  private readonly scopes: Set<Abortable> | undefined;
  /** Until dispose: see there. */
  private res: ServerResponse | undefined;

  constructor(res: ServerResponse, timeoutMs: number) {
    super();
    this.res = res;
    // Arguments rather than closures: nothing allocated per request beyond the timer.
    this.timer = setTimeout(timeUp, timeoutMs, this, timeoutMs);
    const tracked = res as TrackedResponse;
    tracked[kScope] = this;
    // 'close' fires once per response; `on` skips the wrapper `once` allocates.
    res.on('close', onResponseClose);
    this.scopes = tracked[kScopes];
    this.scopes?.add(this);
  }

  /** The OpenAIHttpError that caused the abort (time limit, shutdown, client gone), if aborted. */
  abortReason(): OpenAIHttpError | undefined {
    if (!this.aborted) return undefined;
    const reason = this.reason;
    return reason instanceof OpenAIHttpError ? reason : new OpenAIHttpError(499, 'Client closed the request.');
  }

  /**
   * Stops the timer and lets go of the response. Objects that referred to the scope (the
   * exchange's abort listener, the timer) may linger as garbage in V8's old generation until
   * its next full collection, and a young-generation collection keeps whatever they reach: a
   * scope still holding the response kept the whole request's objects alive through each
   * scavenge and promoted them, and those pauses are the proxy's p99. So the scope drops the
   * response here. For the same reason the close listener stays on the response, where it
   * finds no scope once this one is disposed, rather than being removed with `off()`
   * (docs/benchmarks.md#garbage-collection).
   */
  dispose(): void {
    clearTimeout(this.timer);
    const res = this.res as TrackedResponse | undefined;
    if (!res) return;
    this.res = undefined;
    if (res[kScope] === this) res[kScope] = undefined;
    this.scopes?.delete(this);
  }
}

function timeUp(scope: RequestScope, timeoutMs: number): void {
  scope.abort(new OpenAIHttpError(504, `Request exceeded the time limit of ${timeoutMs} ms.`));
}

function onResponseClose(this: TrackedResponse): void {
  if (!this.writableFinished) this[kScope]?.abort();
}
