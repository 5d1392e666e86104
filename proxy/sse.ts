/**
 * Server-sent events on a raw Node response. Each call writes one frame batch as it is
 * produced; when the socket's buffer is full we wait for 'drain' so a slow client
 * slows the Bedrock stream down instead of growing memory — but never past the
 * request's abort signal, so a client that stops reading cannot pin a stream open.
 */
import type { ServerResponse } from 'node:http';
import type { AbortSignalLike } from './abort-signal.js';

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
