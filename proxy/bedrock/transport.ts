/**
 * What the proxy needs from Bedrock Runtime, and nothing more: the routes call these three
 * operations and never see how they travel. `direct-transport.ts` implements them as signed
 * HTTPS requests (the default), `sdk-transport.ts` with the AWS SDK client
 * (`create-transport.ts` picks one from `bedrockTransport`); they behave identically on the
 * wire (test/bedrock/differential.test.ts) and throw the same errors (an Error whose `name` is the Bedrock exception name, with `$metadata.httpStatusCode`
 * and `$metadata.requestId` where known), because `translate/map-error.ts` maps those.
 */
import type {
  ConverseCommandInput,
  ConverseCommandOutput,
  ConverseStreamCommandInput,
  ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type { AbortSignalLike } from '../abort-signal.js';

export interface BedrockCallOptions {
  /** Aborts the call (client gone, time limit, shutdown); the call rejects with an AbortError. */
  signal: AbortSignalLike;
  /**
   * Non-streamed calls: the most response-body bytes the transport may buffer. A larger
   * answer rejects with `ResponseTooLargeError` — refused on its Content-Length before
   * reading, or as soon as the bytes read pass the limit — so memory stays bounded whatever
   * Bedrock sends. Streams ignore it (they are passed through event by event).
   */
  maxResponseBytes?: number;
}

/** A non-streamed answer larger than `maxResponseBytes` (mapped to 502 `upstream_response_too_large`). */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  /** Set like a service exception's: the SDK then neither rewrites the message nor retries. */
  readonly $metadata: { httpStatusCode?: number; requestId?: string };

  constructor(
    readonly limitBytes: number,
    metadata: { httpStatusCode?: number; requestId?: string } = {},
  ) {
    super(`the answer is larger than the proxy's limit of ${limitBytes} bytes for a non-streamed response`);
    this.$metadata = metadata;
  }
}

export interface InvokeModelResult {
  /** The model's JSON response body, as bytes. */
  body: Uint8Array;
  /** `x-amzn-bedrock-input-token-count`, when Bedrock sends it. */
  inputTokenCount?: number;
  requestId?: string;
}

export interface BedrockTransport {
  converse(input: ConverseCommandInput, opts: BedrockCallOptions): Promise<ConverseCommandOutput>;
  /**
   * Resolves once Bedrock has answered with a stream (errors before that reject here); the
   * iterable yields its events as they arrive, in order, in batches that are never empty
   * (the events one network read completed, so a busy proxy pays per read, not per event).
   */
  converseStream(input: ConverseStreamCommandInput, opts: BedrockCallOptions): Promise<AsyncIterable<ConverseStreamOutput[]>>;
  /** InvokeModel with a JSON body (embeddings). */
  invokeModel(modelId: string, body: string, opts: BedrockCallOptions): Promise<InvokeModelResult>;
  /** Closes pooled connections. */
  destroy(): void;
}
