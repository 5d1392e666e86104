/**
 * Keep-alive HTTP/1.1 connections to the Bedrock endpoint (undici's Pool, through its
 * low-level `dispatch`: no stream objects per request; measured at about half the CPU
 * per request of node:http's ClientRequest — see docs/benchmarks.md).
 *
 * Time limits: connect (`connectTimeoutMs`), and read — the longest silence before the
 * response headers and between body chunks (`readTimeoutMs`). Errors come out the way the
 * AWS SDK's node:http handler raises them, so retries and translate/map-error.ts treat both
 * transports alike: read and connect timeouts as `TimeoutError`, connection failures with
 * their errno `code`. A reset of a reused socket before any response byte is marked stale
 * (retry.ts retries it at once).
 */
import type { Dispatcher, Pool as UndiciPool } from 'undici';
// undici's index loads fetch, WebSocket, caches and more; the proxy needs only the Pool.
import Pool from 'undici/lib/dispatcher/pool.js';
import { AbortError, markStaleSocket } from './retry.js';
import { responseMetadata, type HeaderMap } from './service-error.js';
import { ResponseTooLargeError } from './transport.js';
import type { AbortSignalLike } from '../abort-signal.js';

export interface PoolOptions {
  connectTimeoutMs: number;
  readTimeoutMs: number;
}

export interface HttpHead {
  status: number;
  headers: HeaderMap;
}

/** Receives a streamed response body (ConverseStream). */
export interface BodySink {
  /** False pauses the socket until `StreamControl.resume()`. */
  data(chunk: Buffer): boolean;
  end(): void;
  error(err: Error): void;
}

export interface StreamControl {
  resume(): void;
  /** Stops a streamed body the consumer no longer wants (closes the connection). */
  cancel(): void;
}

export interface RequestSpec {
  path: string;
  /** Flat [name, value, …] list. */
  headers: string[];
  body: Buffer[];
}

export class HttpPool {
  private readonly pool: UndiciPool;

  constructor(
    readonly origin: string,
    private readonly opts: PoolOptions,
  ) {
    this.pool = new Pool(origin, {
      connectTimeout: opts.connectTimeoutMs,
      headersTimeout: opts.readTimeoutMs,
      bodyTimeout: opts.readTimeoutMs,
      // Idle sockets are kept for 30 s (the service may close them sooner: see the stale-socket retry).
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  /** The whole response, buffered; at most `maxBytes` of it (ResponseTooLargeError beyond, refused on its Content-Length or cut while reading). */
  fetch(spec: RequestSpec, signal: AbortSignalLike, maxBytes = Infinity): Promise<HttpHead & { body: Buffer }> {
    return new Promise((resolve, reject) => {
      const h = new ExchangeHandler(this.opts, signal, reject);
      h.maxBytes = maxBytes;
      h.onDone = (head, body) => resolve({ status: head.status, headers: head.headers, body });
      this.pool.dispatch(dispatchOptions(spec), h);
    });
  }

  /**
   * Resolves with the status and headers once they arrive; for a 2xx the body then goes to
   * the sink chunk by chunk (`streamSink` is asked for it at that moment), otherwise it is
   * buffered and resolved with the head.
   */
  open(spec: RequestSpec, signal: AbortSignalLike, streamSink: (head: HttpHead, control: StreamControl) => BodySink): Promise<HttpHead & { body?: Buffer }> {
    return new Promise((resolve, reject) => {
      const h = new ExchangeHandler(this.opts, signal, reject);
      h.onStreamHead = (head) => {
        const sink = streamSink(head, h);
        resolve(head);
        return sink;
      };
      h.onDone = (head, body) => resolve({ status: head.status, headers: head.headers, body });
      this.pool.dispatch(dispatchOptions(spec), h);
    });
  }

  destroy(): void {
    void this.pool.destroy().catch(() => undefined);
  }
}

function dispatchOptions(spec: RequestSpec): Dispatcher.DispatchOptions {
  // Several chunks (a body with images) go as an iterable, which undici writes in order
  // (documented for dispatch, missing from its typings).
  return { path: spec.path, method: 'POST', headers: spec.headers, body: spec.body.length === 1 ? spec.body[0]! : (spec.body as unknown as Uint8Array) };
}

function headerMap(raw: Buffer[]): HeaderMap {
  const out: HeaderMap = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}

/** The head of a streamed response once handed over (only its presence matters then). */
const STREAMING: HttpHead = Object.freeze({ status: 200, headers: Object.freeze({}) as HeaderMap });

/**
 * One exchange, on undici's dispatch handler protocol. Resolution happens exactly once:
 * through `onDone` (buffered), `onStreamHead` + the sink (streamed 2xx), or `fail`.
 */
class ExchangeHandler implements Dispatcher.DispatchHandler, StreamControl {
  onDone?: (head: HttpHead, body: Buffer) => void;
  maxBytes = Infinity;
  private received = 0;
  onStreamHead?: (head: HttpHead) => BodySink;
  private head: HttpHead | undefined;
  private sink: BodySink | undefined;
  private chunks: Buffer[] = [];
  private abortFn: ((err?: Error) => void) | undefined;
  private resumeFn: (() => void) | undefined;
  private settled = false;
  private readonly onAbort = () => this.abortFn?.(new AbortError('Request aborted', { cause: this.signal.reason }));

  constructor(
    private readonly opts: PoolOptions,
    private readonly signal: AbortSignalLike,
    private reject: ((err: Error) => void) | undefined,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  resume(): void {
    this.resumeFn?.();
  }

  cancel(): void {
    this.sink = undefined;
    this.signal.removeEventListener('abort', this.onAbort);
    this.abortFn?.(new AbortError('Stream cancelled'));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.signal.aborted) this.onAbort();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true;
    this.resumeFn = resume;
    this.head = { status: statusCode, headers: headerMap(rawHeaders) };
    const declared = Number(this.head.headers['content-length']);
    if (declared > this.maxBytes) return this.tooLarge();
    if (statusCode < 300 && this.onStreamHead) {
      this.settled = true;
      this.sink = this.onStreamHead(this.head);
      // For the rest of a long stream, let go of what set it up: the callbacks hold the
      // request (signed headers, body), and its settled promise holds the head; the caller
      // has the head (~1.5 KB per open stream).
      this.onStreamHead = undefined;
      this.onDone = undefined;
      this.reject = undefined;
      this.head = STREAMING;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.sink) return this.sink.data(chunk);
    if (this.settled) return true;
    this.received += chunk.length;
    if (this.received > this.maxBytes) return this.tooLarge();
    this.chunks.push(chunk);
    return true;
  }

  /** Stops reading an answer over the limit: the connection goes, nothing more is read. */
  private tooLarge(): false {
    const meta = responseMetadata(this.head!.status, this.head!.headers);
    this.abortFn?.(new ResponseTooLargeError(this.maxBytes, { httpStatusCode: meta.httpStatusCode, requestId: meta.requestId }));
    return false;
  }

  onComplete(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    if (this.sink) return this.sink.end();
    if (this.settled) return;
    this.settled = true;
    this.onDone!(this.head!, this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks));
  }

  onError(err: Error): void {
    this.signal.removeEventListener('abort', this.onAbort);
    const e = this.normalize(err);
    if (this.sink) return this.sink.error(e);
    if (this.settled) return;
    this.settled = true;
    this.reject!(e);
  }

  /** undici's errors → what the SDK's node:http handler raises for the same event. */
  private normalize(err: Error & { code?: string; socket?: { bytesRead?: number } }): Error {
    if (err instanceof ResponseTooLargeError) return err;
    if (err instanceof AbortError || err.name === 'AbortError') return err.name === 'AbortError' ? err : new AbortError('Request aborted');
    switch (err.code) {
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
        return Object.assign(new Error(`Bedrock went silent: the request socket timed out after ${this.opts.readTimeoutMs} ms of inactivity.`), { name: 'TimeoutError' });
      case 'UND_ERR_CONNECT_TIMEOUT':
        return Object.assign(new Error(`Could not connect to Bedrock within ${this.opts.connectTimeoutMs} ms.`), { name: 'TimeoutError', code: 'ETIMEDOUT' });
      case 'UND_ERR_SOCKET':
      case 'ECONNRESET':
      case 'EPIPE': {
        const e = Object.assign(new Error(err.code === 'EPIPE' ? 'write EPIPE' : 'socket hang up'), { name: 'TimeoutError', code: err.code === 'EPIPE' ? 'EPIPE' : 'ECONNRESET', cause: err });
        // A socket that had already carried responses, closed before this one began: the request never reached the service.
        if (this.head === undefined && (err.socket?.bytesRead ?? 0) > 0) markStaleSocket(e);
        return e;
      }
    }
    return err;
  }
}
