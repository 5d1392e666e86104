import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CacheTarget } from '../cache.js';
import type { Fixture, SideResult } from '../types.js';

/** One successful live call. */
export interface LiveCall {
  response: ChatCompletion;
  ttftMs?: number;
  totalMs: number;
  streamed: boolean;
  /** Response headers of interest (`x-nova-*`, `x-request-id`), lower-case. */
  headers: Record<string, string>;
}

/** Error raised by a target for one call; `status` when the server answered. */
export class TargetCallError extends Error {
  override name = 'TargetCallError';
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The run cannot continue (bad credentials, unreachable service): stop and say what is needed. */
export class FatalTargetError extends Error {
  override name = 'FatalTargetError';
}

export interface Target {
  side: 'baseline' | 'candidate';
  /** Shown in reports, e.g. `OpenAI https://api.openai.com/v1` or `Nova via in-process proxy`. */
  label: string;
  /** What the cache key includes besides the request. */
  cacheTarget(body: ChatCompletionCreateParams): CacheTarget;
  /** The model to price a call with. */
  pricedModel(body: ChatCompletionCreateParams, headers: Record<string, string>): string | undefined;
  call(body: ChatCompletionCreateParams, opts: { signal: AbortSignal; timeoutMs: number }): Promise<LiveCall>;
  /** Recognises errors that stop the whole run (e.g. missing credentials). */
  fatal?(err: TargetCallError): string | undefined;
  /** OpenAI-compatible endpoint of this target, for a judge that uses the same service. */
  /** `id`: a stable identity for cache keys (the in-process proxy's port changes every run). */
  endpoint?: { baseURL: string; apiKey: string; id: string };
  close(): Promise<void>;
}

/** Answers recorded earlier (`--candidate recorded`): no call, no measured latency. */
export interface RecordedSource {
  label: string;
  answer(fx: Fixture): SideResult;
}
