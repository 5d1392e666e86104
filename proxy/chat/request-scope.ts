/**
 * One AbortController per request: the client going away, the request time limit and
 * shutdown all abort the work in progress — image fetches as well as the Bedrock call.
 */
import type { ServerResponse } from 'node:http';
import { OpenAIHttpError } from '../errors.js';

export interface RequestScope {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  /** The OpenAIHttpError that caused the abort (time limit, shutdown, client gone), if aborted. */
  abortReason(): OpenAIHttpError | undefined;
  /** Stops the timer and the close listener. */
  dispose(): void;
}

const kScopes = Symbol('novaRequestScopes');
type TrackedResponse = ServerResponse & { [kScopes]?: Set<AbortController> };

/**
 * Registers every scope opened for this response in `scopes` while it is open, so shutdown
 * can answer requests still waiting on Bedrock (the app does this for every request).
 */
export function trackScopes(res: ServerResponse, scopes: Set<AbortController>): void {
  (res as TrackedResponse)[kScopes] = scopes;
}

export function openRequestScope(res: ServerResponse, timeoutMs: number): RequestScope {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new OpenAIHttpError(504, `Request exceeded the time limit of ${timeoutMs} ms.`)), timeoutMs);
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  res.once('close', onClose);
  const scopes = (res as TrackedResponse)[kScopes];
  scopes?.add(controller);
  return {
    controller,
    signal: controller.signal,
    abortReason: () => abortReason(controller.signal),
    dispose() {
      clearTimeout(timer);
      res.off('close', onClose);
      scopes?.delete(controller);
    },
  };
}

export function abortReason(signal: AbortSignal): OpenAIHttpError | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  return reason instanceof OpenAIHttpError ? reason : new OpenAIHttpError(499, 'Client closed the request.');
}
