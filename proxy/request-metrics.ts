/**
 * Per-request facts the chat route records as it goes, for logs, metrics and the cost
 * header. Plain fields on the request (no allocation beyond one small object), read by
 * the observability plugin when the response closes.
 */
import type { FastifyRequest } from 'fastify';

export interface RequestMetrics {
  /** Model name the client sent. */
  model?: string;
  /** Model ID sent to Bedrock. */
  bedrockModelId?: string;
  stream: boolean;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** Milliseconds spent waiting on Bedrock (until the response or the end of its stream). */
  bedrockMs?: number;
  /** Milliseconds from arrival to the first content delta written (streams). */
  ttftMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  /** Estimated USD cost from the price table. */
  costUsd?: number;
  /** OpenAI error type when the request failed. */
  errorType?: string;
  /** Which configured API key was used (index), for per-key cost; never the key itself. */
  apiKeyIndex?: number;
  /** The request was authenticated with an admin key. */
  admin?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    metrics: RequestMetrics;
  }
}

export function initMetrics(req: FastifyRequest): RequestMetrics {
  return (req.metrics = { stream: false, startedAt: performance.now() });
}
