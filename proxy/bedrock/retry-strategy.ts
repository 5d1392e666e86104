/**
 * The AWS SDK's standard retry strategy (`StandardRetryStrategy` from @smithy/core/retry,
 * the object the SDK client itself uses), refusing errors retry.ts marked as not to be
 * retried. Given to the SDK client as its `retryStrategy`, and used by the direct transport
 * (loaded there on the first failure).
 */
import { getRetryAfterHint, isServerError, isThrottlingError, isTransientError, StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryErrorType, RetryStrategyV2, RetryToken, SdkError, StandardRetryToken } from '@smithy/types';
import { isNoRetry } from './retry.js';

export interface RetryRules {
  maxAttempts: number;
  retryReadTimeouts: boolean;
}

/** The error classes the standard strategy acts on (as the SDK's retry middleware computes them). */
function retryErrorInfo(err: SdkError): RetryErrorInfo {
  const errorType: RetryErrorType = isThrottlingError(err) ? 'THROTTLING' : isTransientError(err) ? 'TRANSIENT' : isServerError(err) ? 'SERVER_ERROR' : 'CLIENT_ERROR';
  const info: RetryErrorInfo = { error: err, errorType };
  const hint = getRetryAfterHint((err as { $response?: unknown }).$response);
  if (hint) info.retryAfterHint = hint;
  return info;
}

/** The SDK's standard strategy, refusing errors marked no-retry. Also what the SDK transport's client is given. */
export class NovaRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private readonly standard: StandardRetryStrategy;

  constructor(readonly rules: RetryRules) {
    this.standard = new StandardRetryStrategy(rules.maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.standard.acquireInitialRetryToken(scope);
  }

  refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    if (isNoRetry(info.error)) return Promise.reject(info.error);
    return this.standard.refreshRetryTokenForRetry(token as StandardRetryToken, info);
  }

  recordSuccess(token: RetryToken): void {
    this.standard.recordSuccess(token as StandardRetryToken);
  }

  errorInfo(err: SdkError): RetryErrorInfo {
    return retryErrorInfo(err);
  }

  /** The remaining retry quota (tests). */
  capacity(): number {
    return this.standard.getCapacity();
  }
}

