/**
 * The Bedrock transport without the SDK's per-request machinery: Converse, ConverseStream
 * and InvokeModel as signed HTTPS requests over a keep-alive pool.
 *
 * Per request: the JSON body is built once from the translated input (wire-body.ts) and
 * hashed once, the request is signed (sigv4.ts; the derived key is reused for the day),
 * sent on a pooled connection, and the answer parsed once — JSON.parse for Converse; for
 * ConverseStream, event-stream frames read in place (event-frame.ts) and handed to the
 * stream translator a network read at a time.
 *
 * What the SDK gives users beyond that is kept, resolved once: the default credential chain
 * with caching and refresh (auth.ts), Bedrock API keys (AWS_BEARER_TOKEN_BEDROCK), region
 * and endpoint resolution with FIPS / dual-stack / endpoint-URL settings (endpoint.ts), the
 * standard retry strategy (retry.ts), the SDK's error names and metadata (service-error.ts),
 * request IDs (`amz-sdk-invocation-id`, `x-amzn-requestid`) and a user agent (user-agent.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ConverseCommandOutput, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { BedrockCallOptions, BedrockTransport, InvokeModelResult } from './transport.js';
import { resolveAuth, type BedrockAuth } from './auth.js';
import { bedrockEndpoint, loadEndpointSettings, type BedrockEndpoint } from './endpoint.js';
import type { EventSink, EventStreamDecoder } from './event-stream.js';
import { HttpPool, type BodySink, type HttpHead, type RequestSpec, type StreamControl } from './http-pool.js';
import { RetryPolicy, withRetries, type AttemptContext, type Operation } from './retry.js';
import { responseMetadata, serviceError, type ResponseMetadata } from './service-error.js';
import { createSigV4Signer, escapeUri } from './sigv4.js';
import { userAgent } from './user-agent.js';
import { converseBody, wireBody, type WireBody } from './wire-body.js';
import { DONE } from '../iteration-done.js';

export interface DirectTransportOptions {
  region: string;
  /** An endpoint URL (`--mock`, tests); otherwise resolved from the environment and ~/.aws like the SDK. */
  endpoint?: string;
  /** Static credentials or a provider; otherwise the default chain (or AWS_BEARER_TOKEN_BEDROCK). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts: number;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  retryReadTimeouts: boolean;
}

interface Setup {
  endpoint: BedrockEndpoint;
  pool: HttpPool;
}

// The event-stream reader is loaded with the first stream, not at start-up.
let eventStream: typeof import('./event-stream.js') | undefined;
const loadEventStream = async () => (eventStream ??= await import('./event-stream.js'));

export function createDirectTransport(opts: DirectTransportOptions): BedrockTransport {
  const signer = createSigV4Signer({ region: opts.region, service: 'bedrock' });
  const auth: BedrockAuth = resolveAuth(opts.credentials ? { credentials: opts.credentials } : {});
  const retries = new RetryPolicy({ maxAttempts: opts.maxAttempts, retryReadTimeouts: opts.retryReadTimeouts });
  const ua = userAgent();
  let setup: Setup | undefined;
  let destroyed = false;
  // Endpoint settings may come from ~/.aws/config: read once, at start-up, not per request.
  const ready: Promise<Setup> = (async () => {
    const settings = opts.endpoint ? { region: opts.region, endpoint: opts.endpoint } : await loadEndpointSettings(opts.region);
    const endpoint = await bedrockEndpoint(settings);
    setup = { endpoint, pool: new HttpPool(endpoint.origin, { connectTimeoutMs: opts.connectTimeoutMs, readTimeoutMs: opts.readTimeoutMs }) };
    if (destroyed) setup.pool.destroy();
    return setup;
  })();
  ready.catch(() => undefined);
  // Resolve the credential chain in the background, so the first request doesn't wait for it.
  if (auth.kind === 'sigv4') auth.credentials().catch(() => undefined);

  async function requestSpec(s: Setup, path: string, body: WireBody, extra: Record<string, string>, ctx: AttemptContext, invocationId: string): Promise<RequestSpec> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...extra,
      'content-length': String(body.length),
      'x-amz-user-agent': ua['x-amz-user-agent'],
      host: s.endpoint.host,
      'amz-sdk-invocation-id': invocationId,
      'amz-sdk-request': `attempt=${ctx.attempt}; max=${ctx.maxAttempts}`,
    };
    if (auth.kind === 'bearer') headers.authorization = `Bearer ${auth.token}`;
    else signer.sign({ method: 'POST', path, headers }, await auth.credentials(), body.sha256);
    const flat: string[] = ['user-agent', ua['user-agent']];
    for (const name in headers) flat.push(name, headers[name]!);
    return { path, headers: flat, body: body.chunks };
  }

  function path(s: Setup, modelId: string | undefined, action: string): string {
    return `${s.endpoint.basePath}/model/${escapeUri(modelId ?? '')}/${action}`;
  }

  /** One buffered call with retries: the parsed response (2xx) or the service's error. */
  async function call(operation: Operation, modelId: string | undefined, action: string, body: WireBody, extra: Record<string, string>, opts: BedrockCallOptions) {
    const s = setup ?? (await ready);
    const p = path(s, modelId, action);
    const invocationId = randomUUID();
    const { signal } = opts;
    return withRetries(retries, operation, signal, async (ctx) => {
      const res = await s.pool.fetch(await requestSpec(s, p, body, extra, ctx, invocationId), signal, opts.maxResponseBytes);
      if (res.status >= 300) throw serviceError(res.status, res.headers, res.body.toString('utf8'));
      return res;
    });
  }

  return {
    async converse(input, opts: BedrockCallOptions): Promise<ConverseCommandOutput> {
      const { value: res, attempts, totalRetryDelay } = await call('Converse', input.modelId, 'converse', converseBody(input), {}, opts);
      const out = JSON.parse(res.body.toString('utf8')) as ConverseCommandOutput;
      // Added to the literal rather than spread into a new one: V8 gives an object made by a
      // spread and then extended a map of its own, every time (docs/benchmarks.md).
      const metadata = responseMetadata(res.status, res.headers);
      metadata.attempts = attempts;
      metadata.totalRetryDelay = totalRetryDelay;
      out.$metadata = metadata;
      return out;
    },

    async converseStream(input, { signal }: BedrockCallOptions): Promise<AsyncIterable<ConverseStreamOutput[]>> {
      const s = setup ?? (await ready);
      const { EventStreamDecoder } = eventStream ?? (await loadEventStream());
      const p = path(s, input.modelId, 'converse-stream');
      const body = converseBody(input);
      const invocationId = randomUUID();
      const { value } = await withRetries(retries, 'ConverseStream', signal, async (ctx) => {
        let queue: EventQueue | undefined;
        const head = await s.pool.open(await requestSpec(s, p, body, {}, ctx, invocationId), signal, (h: HttpHead, control) => {
          queue = new EventQueue(control, EventStreamDecoder, responseMetadata(h.status, h.headers));
          return queue;
        });
        if (head.status >= 300 || !queue) throw serviceError(head.status, head.headers, head.body?.toString('utf8') ?? '');
        return queue;
      });
      return value;
    },

    async invokeModel(modelId, body, opts): Promise<InvokeModelResult> {
      const { value: res } = await call('InvokeModel', modelId, 'invoke', wireBody(body), { accept: 'application/json' }, opts);
      const count = res.headers['x-amzn-bedrock-input-token-count'];
      const requestId = res.headers['x-amzn-requestid'];
      const result: InvokeModelResult = { body: new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.length) };
      if (requestId) result.requestId = requestId;
      if (count) result.inputTokenCount = Number(count);
      return result;
    },

    destroy() {
      destroyed = true;
      setup?.pool.destroy();
    },
  };
}

/**
 * ConverseStream events as an async iterable of batches, fed by the connection: bytes are
 * decoded as they arrive, and the events one read completed wait together for the consumer
 * (the stream translator), in arrival order. A batch costs one step of async iteration
 * however many events it holds, so a proxy that falls behind catches up by the read, not by
 * the event. A consumer that falls behind pauses the socket (TCP backpressure reaches
 * Bedrock, as with the SDK's stream); stopping the iteration early closes the connection.
 */
class EventQueue implements AsyncIterableIterator<ConverseStreamOutput[]>, BodySink, EventSink {
  private batches: ConverseStreamOutput[][] = [];
  private head = 0;
  /** Events of the read being decoded. */
  private current: ConverseStreamOutput[] | undefined;
  private queued = 0;
  private failure: Error | undefined;
  private ended = false;
  private paused = false;
  /** The consumer has had the end (or the failure), or stopped. */
  private done = false;
  /** A `next()` waiting for the connection. */
  private waiting: { resolve: (r: IteratorResult<ConverseStreamOutput[]>) => void; reject: (err: Error) => void } | undefined;

  private readonly decoder: EventStreamDecoder;

  constructor(
    private readonly control: StreamControl,
    Decoder: typeof EventStreamDecoder,
    metadata: ResponseMetadata,
  ) {
    // The queue is the decoder's sink itself: no adapter closures per stream.
    this.decoder = new Decoder(this, metadata);
  }

  /** False asks the connection to pause until `control.resume()`. */
  data(chunk: Buffer): boolean {
    this.decoder.push(chunk);
    this.flush();
    if (this.queued < HIGH_WATER) return true;
    this.paused = true;
    return false;
  }

  end(): void {
    // Bytes of a frame that never completed: the SDK reports this the same way.
    this.finish(this.decoder.truncated ? new Error('Truncated event message received.') : undefined);
  }

  error(err: Error): void {
    this.finish(err);
  }

  /** A decoded event (EventSink). */
  event(e: ConverseStreamOutput): void {
    (this.current ??= []).push(e);
  }

  finish(err: Error | undefined): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    this.failure = err;
    this.wake();
  }

  private flush(): void {
    const batch = this.current;
    if (!batch) return;
    this.current = undefined;
    this.batches.push(batch);
    this.queued += batch.length;
    this.wake();
  }

  // The iterator protocol by hand rather than an async generator: a waiting stream then holds
  // one pending promise, not a suspended generator with its request queue and promises
  // (~1 KB less per open stream), and a batch costs one promise resolution.
  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ConverseStreamOutput[]>> {
    if (this.head < this.batches.length || this.ended || this.done) {
      try {
        return Promise.resolve(this.take());
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** Leaving the iteration early (`break`, a throw in the loop): closes the connection. */
  return(): Promise<IteratorResult<ConverseStreamOutput[]>> {
    this.done = true;
    this.batches = [];
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve(DONE);
    if (!this.ended) {
      this.ended = true;
      this.control.cancel();
    }
    return Promise.resolve(DONE);
  }

  /** The next batch, the end, or the failure (thrown); once ended, always the end. */
  private take(): IteratorResult<ConverseStreamOutput[]> {
    if (this.done) return DONE;
    if (this.head < this.batches.length) {
      const batch = this.batches[this.head++]!;
      this.queued -= batch.length;
      if (this.head === this.batches.length) {
        this.batches = [];
        this.head = 0;
        if (this.paused) {
          this.paused = false;
          this.control.resume();
        }
      }
      return { value: batch, done: false };
    }
    this.done = true;
    if (this.failure) throw this.failure;
    return DONE;
  }

  /** Answers a waiting `next()` with what has arrived. */
  private wake(): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    try {
      w.resolve(this.take());
    } catch (err) {
      w.reject(err as Error);
    }
  }
}

/** Events buffered before the socket is paused. */
const HIGH_WATER = 64;
