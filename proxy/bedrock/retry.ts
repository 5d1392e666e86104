/**
 * Retries towards Bedrock, the same for both transports. The decisions are the AWS SDK's
 * standard retry strategy (`StandardRetryStrategy` from @smithy/core/retry, the object the
 * SDK client itself uses): which errors retry (throttling, transient network errors and
 * timeouts, 500/502/503/504), exponential backoff with full jitter, the shared retry quota,
 * and `Retry-After` / `x-amz-retry-after`. On top of it, two rules of ours:
 *
 *  - A read timeout on a generation (Converse, ConverseStream) is not retried unless
 *    `bedrockRetryReadTimeouts`: the request reached Bedrock, a generation may be running
 *    and billed, and a hung service retried keeps the client waiting read timeout × attempts.
 *    A connect timeout (nothing was sent) is retried as before.
 *  - A connection reset on a pooled keep-alive socket before any response byte is retried
 *    at once on a fresh connection, outside the attempt count and the quota: the upstream
 *    closed an idle socket as we reused it, so the request never reached the service. (When
 *    a throttling storm drains the quota, these would otherwise surface as 502s.)
 *
 * The whole exchange (attempts and back-off) lives inside the request's abort signal,
 * which fires at `requestTimeoutMs`: no attempt and no back-off outlives the request.
 *
 * The strategy (retry-strategy.ts, and @smithy/core/retry with it) is loaded on the first
 * failure: until then its quota is full and a success would not change it, so a process that
 * never sees an error never pays for loading it.
 */
import type { RetryToken, SdkError } from '@smithy/types';
import type { NovaRetryStrategy, RetryRules } from './retry-strategy.js';
import type { AbortSignalLike } from '../abort-signal.js';

const kNoRetry = Symbol.for('nova-migrate.noRetry');
const kStaleSocket = Symbol.for('nova-migrate.staleSocket');

export type Operation = 'Converse' | 'ConverseStream' | 'InvokeModel';

/** Operations whose requests start a (billed, non-idempotent) generation. */
export const GENERATIONS: ReadonlySet<string> = new Set(['Converse', 'ConverseStream', 'ConverseCommand', 'ConverseStreamCommand']);

/** Marks an error the retry strategy must give up on. */
export function markNoRetry<E>(err: E): E {
  if (err && typeof err === 'object') (err as Record<symbol, unknown>)[kNoRetry] = true;
  return err;
}

/** Marks an error as a reset of a reused keep-alive socket before any response byte. */
export function markStaleSocket<E>(err: E): E {
  if (err && typeof err === 'object') (err as Record<symbol, unknown>)[kStaleSocket] = true;
  return err;
}

export function isNoRetry(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as Record<symbol, unknown>)[kNoRetry] === true;
}

export function isStaleSocket(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as Record<symbol, unknown>)[kStaleSocket] === true;
}

/**
 * A read timeout: the request was sent and Bedrock went silent. The SDK's handler names its
 * socket-inactivity error TimeoutError ("…timed out after N ms of inactivity"); ours carries
 * the same name and wording.
 */
export function isReadTimeout(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown } | null;
  return !!e && e.name === 'TimeoutError' && typeof e.message === 'string' && /of inactivity/.test(e.message);
}

export class AbortError extends Error {
  override name = 'AbortError';
}

/** Rejects with an AbortError when the signal fires first. */
export function race<T>(promise: Promise<T>, signal: AbortSignalLike): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortError('Request aborted', { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError('Request aborted', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** The strategy of one transport, loaded on first need. */
export class RetryPolicy {
  loaded: NovaRetryStrategy | undefined;
  private loading: Promise<NovaRetryStrategy> | undefined;

  constructor(readonly rules: RetryRules) {}

  load(): Promise<NovaRetryStrategy> {
    return (this.loading ??= import('./retry-strategy.js').then((m) => (this.loaded = new m.NovaRetryStrategy(this.rules))));
  }
}

export interface AttemptContext {
  /** 1-based attempt number (stale-socket retries don't count). */
  attempt: number;
  maxAttempts: number;
}

/**
 * Runs `attempt` under the strategy: retries what it allows (after its back-off), once more
 * at once for a stale socket, gives up on what it refuses. The error thrown is the last
 * attempt's, with `$metadata.attempts` / `totalRetryDelay` as the SDK sets them.
 */
export interface Retried<T> {
  value: T;
  attempts: number;
  totalRetryDelay: number;
}

export async function withRetries<T>(
  policy: RetryPolicy,
  operation: Operation,
  signal: AbortSignalLike,
  attempt: (ctx: AttemptContext) => Promise<T>,
): Promise<Retried<T>> {
  let token: RetryToken | undefined = policy.loaded ? await policy.loaded.acquireInitialRetryToken('') : undefined;
  const ctx: AttemptContext = { attempt: 1, maxAttempts: policy.rules.maxAttempts };
  let totalRetryDelay = 0;
  for (;;) {
    let err: unknown;
    try {
      const value = await attemptOnce(attempt, ctx);
      if (token) policy.loaded!.recordSuccess(token);
      return { value, attempts: ctx.attempt, totalRetryDelay };
    } catch (e) {
      err = e;
    }
    const metadata = ((err as { $metadata?: Record<string, unknown> }).$metadata ??= {});
    metadata.attempts = ctx.attempt;
    metadata.totalRetryDelay = totalRetryDelay;
    if (signal.aborted) throw err;
    // The strategy would refuse (attempts spent): no need to load it to hear so.
    if (ctx.attempt >= policy.rules.maxAttempts) throw err;
    if (isReadTimeout(err) && GENERATIONS.has(operation) && !policy.rules.retryReadTimeouts) markNoRetry(err);
    const started = performance.now();
    try {
      const strategy = policy.loaded ?? (await race(policy.load(), signal));
      token ??= await strategy.acquireInitialRetryToken('');
      token = await race(strategy.refreshRetryTokenForRetry(token, strategy.errorInfo(err as SdkError)), signal);
      const delay = token.getRetryDelay();
      if (delay > 0) await race(new Promise((r) => setTimeout(r, delay)), signal);
    } catch {
      throw err;
    }
    totalRetryDelay += Math.round(performance.now() - started);
    ctx.attempt = token.getRetryCount() + 1;
  }
}

async function attemptOnce<T>(attempt: (ctx: AttemptContext) => Promise<T>, ctx: AttemptContext): Promise<T> {
  try {
    return await attempt(ctx);
  } catch (err) {
    if (!isStaleSocket(err)) throw err;
    return attempt(ctx);
  }
}
