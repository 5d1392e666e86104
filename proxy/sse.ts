/**
 * Server-sent events on a raw Node response. Each call writes one frame batch as it is
 * produced; when the socket's buffer is full we wait for 'drain' so a slow client
 * slows the Bedrock stream down instead of growing memory — but never past the
 * request's abort signal, so a client that stops reading cannot pin a stream open.
 */
import type { ServerResponse } from 'node:http';
import type { AbortSignalLike } from './abort-signal.js';
import { stopIterator } from './iteration-done.js';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Disables proxy buffering (nginx, some API gateways) so deltas reach the client at once.
  'x-accel-buffering': 'no',
} as const;

export function sseFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** A frame with an `event:` line, as the Responses API streams (the SDKs read the type from it). */
export function sseEvent(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';

/** The chunk shape the stream translator builds (what the framer's fast path recognises). */
interface ChunkLike {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: { index: number; delta: unknown; logprobs?: unknown; finish_reason: string | null }[];
  usage?: unknown;
}

const CHUNK_KEYS = ['id', 'object', 'created', 'model', 'choices', 'usage'];
const CHOICE_KEYS = ['index', 'delta', 'logprobs', 'finish_reason'];

/** Exactly the keys, in order, that the template writes (so the output equals JSON.stringify's). */
function hasKeys(o: object, keys: readonly string[], min: number): boolean {
  let i = 0;
  for (const k in o) {
    if (k !== keys[i]) return false;
    i++;
  }
  return i >= min;
}

/**
 * `data:` frames for one stream's `chat.completion.chunk`s. Within a stream only the delta,
 * the finish reason and the usage change: the envelope (id, created, model) is serialised
 * once and each frame is the template plus `JSON.stringify(delta)`, byte-identical to
 * `sseFrame(chunk)`. Anything else (several choices, logprobs, usage, extra fields) goes
 * through `sseFrame`.
 */
export function chunkFramer(): (chunk: ChunkLike) => string {
  let id: string | undefined;
  let model: string | undefined;
  let created = -1;
  let head = '';
  return (c) => {
    const choice = c.choices.length === 1 ? c.choices[0]! : undefined;
    if (
      !choice ||
      c.object !== 'chat.completion.chunk' ||
      !hasKeys(c, CHUNK_KEYS, 5) ||
      (c.usage !== undefined && c.usage !== null) ||
      !hasKeys(choice, CHOICE_KEYS, 4) ||
      choice.index !== 0 ||
      choice.logprobs !== null ||
      typeof c.created !== 'number'
    ) {
      return sseFrame(c);
    }
    if (c.id !== id || c.model !== model || c.created !== created) {
      id = c.id;
      model = c.model;
      created = c.created;
      head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${JSON.stringify(created)},"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":`;
    }
    const finish = choice.finish_reason === null ? 'null' : JSON.stringify(choice.finish_reason);
    return `${head}${JSON.stringify(choice.delta)},"logprobs":null,"finish_reason":${finish}}]${c.usage === null ? ',"usage":null' : ''}}\n\n`;
  };
}

/**
 * Writes `text`. True when the socket can take more (synchronously in the common case, so
 * the hot path allocates no promise); false if the client is gone or `signal` aborted
 * while waiting for the buffer to drain.
 */
export function writeSse(res: ServerResponse, text: string, signal: AbortSignalLike): boolean | Promise<boolean> {
  if (res.destroyed || res.writableEnded || signal.aborted) return false;
  // No cork of our own: the events of one upstream read come as one batch (one write), and
  // Node's http already corks the socket at a tick's first write and uncorks it on the next
  // tick, so the last frames, [DONE] and the chunked terminator leave in one system call.
  if (res.write(text)) return true;
  return new Promise<boolean>((resolve) => {
    const settle = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onStop);
      signal.removeEventListener('abort', onStop);
      resolve(ok);
    };
    const onDrain = () => settle(true);
    const onStop = () => settle(false);
    res.on('drain', onDrain);
    res.on('close', onStop);
    signal.addEventListener('abort', onStop);
  });
}

/** What a streamed answer writes around the batches of a generation. */
export interface SseWriter<T> {
  /** The frames for one batch ('' writes nothing). */
  frames(batch: T): string;
  /** The frames after the last batch. */
  end(): string;
  /** Once the end is written (not after a failure); a throw is reported like a failure. */
  ended?(): void;
  /** The in-band error frames for a failure after the headers were sent. */
  fail(err: unknown): string;
  /** Once, when the response has been ended or destroyed. */
  closed(): void;
}

/**
 * Writes `batches` as server-sent events on a response whose headers are sent: `first`,
 * each batch's frames as it arrives, then the end; a failure as an in-band error; and ends
 * the response. A client that is gone or stops reading until `scope` aborts is dropped (the
 * connection destroyed, the iteration stopped). Nothing to await: the writer's `closed()`
 * says when it is over, and an open stream holds this object and one pending promise, not
 * a suspended function with its registers.
 */
export function pipeSse<T>(res: ServerResponse, batches: AsyncIterator<T>, scope: AbortSignalLike & { abort(): void }, writer: SseWriter<T>, first = ''): void {
  new SsePipe(res, batches, scope, writer).start(first);
}

class SsePipe<T> {
  private done = false;
  // The callbacks never throw: a throw there would be an unhandled rejection.
  private readonly onBatch = (r: IteratorResult<T>): void => {
    try {
      this.batch(r);
    } catch (err) {
      this.failed(err);
    }
  };
  private readonly onFailure = (err: unknown): void => this.failed(err);
  private readonly onDrained = (ok: boolean): void => {
    try {
      if (ok) this.pull();
      else this.gone();
    } catch (err) {
      this.failed(err);
    }
  };

  constructor(
    private readonly res: ServerResponse,
    private readonly batches: AsyncIterator<T>,
    private readonly scope: AbortSignalLike & { abort(): void },
    private readonly writer: SseWriter<T>,
  ) {}

  start(first: string): void {
    try {
      if (first === '') this.pull();
      else this.write(first);
    } catch (err) {
      // Never thrown at the caller, whose reply is already hijacked: the response still ends.
      stopIterator(this.batches);
      this.failed(err);
    }
  }

  private pull(): void {
    let next: Promise<IteratorResult<T>>;
    try {
      next = this.batches.next();
    } catch (err) {
      return this.failed(err);
    }
    next.then(this.onBatch, this.onFailure);
  }

  private batch(r: IteratorResult<T>): void {
    if (r.done) return this.finish();
    let text: string;
    try {
      text = this.writer.frames(r.value);
    } catch (err) {
      stopIterator(this.batches);
      return this.failed(err);
    }
    if (text === '') return this.pull();
    this.write(text);
  }

  /** Writes, then pulls the next batch: at once, after the socket drains, or never (client gone). */
  private write(text: string): void {
    const ok = writeSse(this.res, text, this.scope);
    if (ok === true) this.pull();
    else if (ok === false) this.gone();
    else ok.then(this.onDrained);
  }

  private finish(): void {
    let written: boolean | Promise<boolean>;
    try {
      written = writeSse(this.res, this.writer.end(), this.scope);
    } catch (err) {
      return this.failed(err);
    }
    const after = () => {
      try {
        this.writer.ended?.();
        this.close();
      } catch (err) {
        this.failed(err);
      }
    };
    if (typeof written === 'boolean') after();
    else void written.then(after);
  }

  /** Client gone, or stopped reading until the time limit: drop the connection. */
  private gone(): void {
    this.scope.abort();
    this.res.destroy();
    stopIterator(this.batches);
    this.close();
  }

  private failed(err: unknown): void {
    try {
      // Headers are gone: the error goes in-band, even after an abort (time limit,
      // shutdown: that is what it reports), then the response ends.
      if (!this.done && !this.res.destroyed) this.res.write(this.writer.fail(err));
    } catch {
      // Nothing more can be said in-band; the response still ends below.
    }
    try {
      this.close();
    } catch {
      this.res.destroy();
    }
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    const res = this.res;
    try {
      // Aborted (time limit) with output still stuck behind a client that stopped reading:
      // ending politely would keep the socket open for as long as the client likes.
      if (this.scope.aborted && res.writableNeedDrain) res.destroy();
      else res.end();
    } finally {
      this.writer.closed();
    }
  }
}
