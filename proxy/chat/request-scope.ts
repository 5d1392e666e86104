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

export function openRequestScope(res: ServerResponse, timeoutMs: number): RequestScope {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new OpenAIHttpError(504, `Request exceeded the time limit of ${timeoutMs} ms.`)), timeoutMs);
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  res.once('close', onClose);
  return {
    controller,
    signal: controller.signal,
    abortReason: () => abortReason(controller.signal),
    dispose() {
      clearTimeout(timer);
      res.off('close', onClose);
    },
  };
}

export function abortReason(signal: AbortSignal): OpenAIHttpError | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  return reason instanceof OpenAIHttpError ? reason : new OpenAIHttpError(499, 'Client closed the request.');
}
