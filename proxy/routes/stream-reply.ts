/**
 * How a route hands its reply over to a stream (chat completions, the Responses API): SSE
 * headers with the reply's own and the request id, the stream counted as in flight while
 * open (shutdown answers it in-band), each batch written as it arrives (sse.ts pipeSse), a
 * failure mapped to an OpenAI error (logged when it is on our or the service's side, and
 * counted in the request's metrics), and the request scope disposed of at the end.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OpenAIHttpError } from '../errors.js';
import type { Abortable, RequestScope } from '../chat/request-scope.js';
import { mapBedrockError } from '../translate/map-error.js';
import { pipeSse, SSE_HEADERS, type SseWriter } from '../sse.js';

/** What a route writes around its batches. */
export interface StreamFrames<T> {
  /** Written right after the headers. */
  first?: string;
  /** The frames for one batch ('' writes nothing). */
  frames(batch: T): string;
  /** The frames after the last batch. */
  end(): string;
  /** Once the end is written. */
  ended?(): void;
  /** The in-band error for a failure once the headers are gone. */
  error(e: OpenAIHttpError): string;
}

/** Returns at once: the handler does not wait for the stream, which holds only what it needs. */
export function streamReply<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  scope: RequestScope,
  streams: Set<Abortable>,
  batches: AsyncIterator<T>,
  bedrockId: string,
  out: StreamFrames<T>,
): void {
  try {
    const res = reply.raw;
    reply.hijack();
    // Copied into a new literal, not spread: an object that starts as a spread copy and then
    // gains members gets a V8 map of its own every time (test/hot-path/map-stability.test.ts).
    const headers: Record<string, string> = Object.assign({}, SSE_HEADERS, reply.getHeaders() as Record<string, string>);
    headers['x-request-id'] = req.id;
    res.writeHead(200, headers);
    streams.add(scope);
    pipeSse(res, batches, scope, new RouteStream(req, scope, streams, bedrockId, out), out.first ?? '');
  } catch (err) {
    streams.delete(scope);
    scope.dispose();
    throw err;
  }
}

class RouteStream<T> implements SseWriter<T> {
  constructor(
    private readonly req: FastifyRequest,
    private readonly scope: RequestScope,
    private readonly streams: Set<Abortable>,
    private readonly bedrockId: string,
    private readonly out: StreamFrames<T>,
  ) {}

  frames(batch: T): string {
    return this.out.frames(batch);
  }

  end(): string {
    return this.out.end();
  }

  ended(): void {
    this.out.ended?.();
  }

  fail(err: unknown): string {
    const e = mapBedrockError(err, { modelId: this.bedrockId, operation: 'ConverseStream' });
    this.req.metrics.errorType = e.type;
    if (e.status >= 500) this.req.log.error({ err }, 'stream failed');
    return this.out.error(e);
  }

  closed(): void {
    this.streams.delete(this.scope);
    this.scope.dispose();
  }
}
