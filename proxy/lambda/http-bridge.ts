/**
 * Drives the Fastify app with an in-memory request/response pair so a Lambda invocation
 * streams: every `res.write` reaches the sink as it happens, with the status line and
 * headers delivered first (`head`), whether they come from Fastify's own
 * `writeHead`+`end` or from a hijacked reply that calls `writeHead` and writes its first
 * body chunk much later (the case @fastify/aws-lambda loses). `app.inject()` can't do
 * this: it buffers the whole payload.
 *
 * The response is a real `http.ServerResponse` on a socket that discards bytes, so all
 * of Node's bookkeeping (headersSent, writableEnded, 'finish', 'close') behaves as on a
 * real server; only the user-level calls are forwarded.
 */
import { IncomingMessage, ServerResponse, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

export interface BridgeRequest {
  method: string;
  /** Path plus query string. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer | undefined;
  sourceIp?: string;
}

/** Where the response goes: a Lambda response stream, or a buffer for the classic proxy integration. */
export interface ResponseSink {
  head(statusCode: number, headers: OutgoingHttpHeaders): void;
  /** Returns false when the consumer wants the producer to wait for `drain`. */
  write(chunk: Buffer): boolean;
  end(): void;
}

/** The socket both halves point at: reads nothing, discards writes, looks like TLS (API Gateway is HTTPS). */
class NullSocket extends Writable {
  readonly encrypted = true;
  readonly remotePort = 0;
  readonly readable = false;
  constructor(readonly remoteAddress: string) {
    super();
  }
  override _write(_chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void) {
    cb();
  }
  setTimeout() {
    return this;
  }
  setNoDelay() {
    return this;
  }
  setKeepAlive() {
    return this;
  }
  ref() {
    return this;
  }
  unref() {
    return this;
  }
}

type WriteCb = (err?: Error | null) => void;

export class BridgeResponse extends ServerResponse {
  private headSent = false;
  constructor(
    req: IncomingMessage,
    private readonly sink: ResponseSink,
    private readonly headOnly: boolean,
  ) {
    super(req);
    // Makes writeHead(status, headers) merge `headers` into getHeaders() instead of
    // formatting them straight into the raw head, which we never read.
    this.setHeader('x-bridge-init', '1');
    this.removeHeader('x-bridge-init');
  }

  override writeHead(...args: any[]): this {
    (ServerResponse.prototype.writeHead as (...a: unknown[]) => unknown).apply(this, args);
    this.flushHead();
    return this;
  }

  private flushHead() {
    if (this.headSent) return;
    this.headSent = true;
    this.sink.head(this.statusCode, this.getHeaders());
  }

  override write(chunk: any, encoding?: any, cb?: any): boolean {
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    // Runs _implicitHeader → writeHead → head first, if nobody called writeHead yet.
    super.write(chunk, encoding as BufferEncoding, cb as WriteCb);
    this.flushHead();
    if (this.headOnly) return true;
    return this.sink.write(toBuffer(chunk, encoding));
  }

  override end(chunk?: any, encoding?: any, cb?: any): this {
    if (typeof chunk === 'function') {
      cb = chunk;
      chunk = undefined;
    } else if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    if (this.writableEnded) return this;
    super.end(chunk, encoding as BufferEncoding, cb as () => void);
    this.flushHead();
    if (chunk != null && !this.headOnly && (typeof chunk === 'string' ? chunk.length > 0 : chunk.byteLength > 0)) this.sink.write(toBuffer(chunk, encoding));
    this.sink.end();
    return this;
  }
}

function toBuffer(chunk: string | Uint8Array, encoding: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding);
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export interface Dispatched {
  res: BridgeResponse;
  /** Resolves when the response has ended or was destroyed. */
  done: Promise<void>;
  /** The consumer went away (client disconnected): abort the response like a closed socket would. */
  abort(): void;
  /** The consumer can take more after returning false from write. */
  drain(): void;
}

/** Feeds one request into the app. The app must be ready (`await app.ready()`). */
export function dispatch(app: FastifyInstance, request: BridgeRequest, sink: ResponseSink): Dispatched {
  const socket = new NullSocket(request.sourceIp ?? '127.0.0.1');
  const req = new IncomingMessage(socket as never);
  req.method = request.method.toUpperCase();
  req.url = request.url;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  const headers: IncomingHttpHeaders = { ...request.headers };
  if (request.body && request.body.length > 0) headers['content-length'] = String(request.body.length);
  else delete headers['content-length'];
  req.headers = headers;
  req.rawHeaders = Object.entries(headers).flatMap(([k, v]) => [k, String(v)]);
  if (request.body && request.body.length > 0) req.push(request.body);
  req.push(null);
  req.complete = true;

  const res = new BridgeResponse(req, sink, req.method === 'HEAD');
  res.assignSocket(socket as never);
  // As a server does with `Connection: close`: once the response is finished the socket
  // closes, which emits 'close' on the response (listeners rely on it).
  res.once('finish', () => socket.destroy());
  const done = new Promise<void>((resolve) => res.once('close', () => resolve()));
  app.routing(req, res);
  return {
    res,
    done,
    abort() {
      if (!res.writableFinished) res.destroy();
    },
    drain() {
      res.emit('drain');
    },
  };
}
